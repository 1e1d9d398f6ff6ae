import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SaltStore, deviceClass, visitorId } from './visitor.ts';

const DAY = 86_400_000;

describe('SaltStore', () => {
  it('keeps one salt per UTC day, shared by instances on the same directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salts-'));
    const t = Date.UTC(2026, 10, 23, 10);
    const a = new SaltStore(dir, () => t);
    const b = new SaltStore(dir, () => t + 3_600_000);
    expect(a.current()).toHaveLength(32);
    expect(b.current().equals(a.current())).toBe(true);
  });

  it('rotates at midnight UTC and forgets a salt once it is 48 h old', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salts-'));
    let t = Date.UTC(2026, 10, 23, 23, 59);
    const store = new SaltStore(dir, () => t);
    const day1 = Buffer.from(store.current());
    t += 2 * 60_000;
    const day2 = Buffer.from(store.current());
    expect(day2.equals(day1)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['2026-11-23.salt', '2026-11-24.salt']);
    t += DAY;
    store.current();
    expect(existsSync(join(dir, '2026-11-23.salt'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['2026-11-24.salt', '2026-11-25.salt']);
  });
});

describe('visitorId', () => {
  const salt = Buffer.alloc(32, 1);
  it('is a 128-bit hex hash that changes with salt, IP, user agent and site and reveals neither', () => {
    const id = visitorId(salt, '203.0.113.9', 'UA', 'hangarstack');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(visitorId(salt, '203.0.113.9', 'UA', 'hangarstack')).toBe(id);
    expect(visitorId(Buffer.alloc(32, 2), '203.0.113.9', 'UA', 'hangarstack')).not.toBe(id);
    expect(visitorId(salt, '203.0.113.10', 'UA', 'hangarstack')).not.toBe(id);
    expect(visitorId(salt, '203.0.113.9', 'UA2', 'hangarstack')).not.toBe(id);
    expect(visitorId(salt, '203.0.113.9', 'UA', 'other')).not.toBe(id);
    // The separator keeps (ip, ua) pairs that concatenate alike apart.
    expect(visitorId(salt, '1.2.3.4', '5', 's')).not.toBe(visitorId(salt, '1.2.3.', '45', 's'));
  });
});

describe('deviceClass', () => {
  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/131.0 Safari/537.36', 'tablet'],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)', 'tablet'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0', 'desktop'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15', 'desktop'],
    ['', 'other'],
  ])('%s → %s', (ua, expected) => {
    expect(deviceClass(ua)).toBe(expected);
  });
});
