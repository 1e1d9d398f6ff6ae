import { describe, expect, it } from 'vitest';
import { MAX_USER_AGENT_LENGTH, boundedUserAgent, deviceClass, originId, visitorId } from './visitor.ts';

describe('visitorId and originId', () => {
  const salt = Buffer.alloc(32, 1);
  it('visitor: a 128-bit hex hash that changes with salt, network, user agent and site', () => {
    const id = visitorId(salt, '203.0.113.9', 'UA', 'hangarstack');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(visitorId(salt, '203.0.113.9', 'UA', 'hangarstack')).toBe(id);
    expect(visitorId(Buffer.alloc(32, 2), '203.0.113.9', 'UA', 'hangarstack')).not.toBe(id);
    expect(visitorId(salt, '203.0.113.10', 'UA', 'hangarstack')).not.toBe(id);
    expect(visitorId(salt, '203.0.113.9', 'UA2', 'hangarstack')).not.toBe(id);
    expect(visitorId(salt, '203.0.113.9', 'UA', 'other')).not.toBe(id);
    // The separator keeps (network, ua) pairs that concatenate alike apart.
    expect(visitorId(salt, '1.2.3.4', '5', 's')).not.toBe(visitorId(salt, '1.2.3.', '45', 's'));
  });

  it('origin: the same for every user agent of one network, different across networks, days and sites', () => {
    const id = originId(salt, '203.0.113.9', 'hangarstack');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(originId(salt, '203.0.113.10', 'hangarstack')).not.toBe(id);
    expect(originId(Buffer.alloc(32, 2), '203.0.113.9', 'hangarstack')).not.toBe(id);
    expect(originId(salt, '203.0.113.9', 'other')).not.toBe(id);
    expect(id).not.toBe(visitorId(salt, '203.0.113.9', 'origin', 'hangarstack'));
  });
});

describe('boundedUserAgent', () => {
  it('cuts a user agent to 512 characters and reads a missing one as empty', () => {
    expect(boundedUserAgent('x'.repeat(20_000))).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(boundedUserAgent(undefined)).toBe('');
    expect(boundedUserAgent('Mozilla/5.0')).toBe('Mozilla/5.0');
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

  it('classifies a header of thousands of "Android" tokens in about the time of a normal one (no super-linear case)', () => {
    const hostile = `Android ${'Android '.repeat(2_000)}`; // 16 KiB, no "Mobile"
    const normal = 'Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/131.0 Safari/537.36';
    expect(deviceClass(hostile)).toBe('tablet');
    // Its cost is measured in the bench's hostile drill; here, the shape that made it quadratic
    // (a look-ahead over the rest of the header, run at every "Android") must not come back.
    expect(deviceClass.toString()).not.toMatch(/\(\?[=!<]/);
    expect(deviceClass(normal)).toBe('tablet');
  });
});
