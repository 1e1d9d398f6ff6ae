import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { BadSaltError, SaltStore } from './salt-store.ts';

const DAY = 86_400_000;

describe('SaltStore', () => {
  it('keeps one salt per UTC day, shared by instances on the same directory', () => {
    const dir = tempDir('salts-');
    const t = Date.UTC(2026, 10, 23, 10);
    const a = new SaltStore(dir, () => t);
    const b = new SaltStore(dir, () => t + 3_600_000);
    expect(a.current()).toHaveLength(32);
    expect(b.current().equals(a.current())).toBe(true);
    expect(readdirSync(dir)).toEqual(['2026-11-23.salt']); // no temp file left behind
  });

  it('rotates at midnight UTC and forgets a salt (and a crashed writer’s temp file) once it is 48 h old', () => {
    const dir = tempDir('salts-');
    let t = Date.UTC(2026, 10, 23, 23, 59);
    const store = new SaltStore(dir, () => t);
    const day1 = Buffer.from(store.current());
    writeFileSync(join(dir, '.2026-11-23.salt.999.abc.tmp'), 'partial');
    t += 2 * 60_000;
    const day2 = Buffer.from(store.current());
    expect(day2.equals(day1)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['.2026-11-23.salt.999.abc.tmp', '2026-11-23.salt', '2026-11-24.salt']);
    t += DAY;
    store.current();
    expect(existsSync(join(dir, '2026-11-23.salt'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['2026-11-24.salt', '2026-11-25.salt']);
  });

  it.each([
    ['empty', 0],
    ['partial', 16],
    ['too long', 33],
  ])('rejects a salt file that is %s, naming the file', (_name, size) => {
    const dir = tempDir('salts-');
    const t = Date.UTC(2026, 10, 23, 10);
    writeFileSync(join(dir, '2026-11-23.salt'), Buffer.alloc(size, 7));
    const store = new SaltStore(dir, () => t);
    expect(() => store.current()).toThrow(BadSaltError);
    expect(() => store.current()).toThrow(`${join(dir, '2026-11-23.salt')} has ${size} bytes`);
  });
});

/** One real process that waits for `startAt`, asks the store for today's salt and prints it. */
function saltProcess(dir: string, startAt: number): Promise<string> {
  const script = `
    import { SaltStore } from ${JSON.stringify(new URL('./salt-store.ts', import.meta.url).href)};
    const store = new SaltStore(${JSON.stringify(dir)});
    while (Date.now() < ${startAt}) {}
    process.stdout.write(store.current().toString('hex'));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`salt process exited ${code}: ${err}`))));
  });
}

describe('SaltStore across processes', () => {
  it('gives two processes creating the same day’s salt at the same instant the same 32 bytes', async () => {
    for (let round = 0; round < 8; round++) {
      const dir = tempDir('salt-race-');
      // Both processes spin until the same instant, so their create-and-link steps overlap.
      const startAt = Date.now() + 700;
      const [a, b] = await Promise.all([saltProcess(dir, startAt), saltProcess(dir, startAt)]);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(b).toBe(a);
      expect(readdirSync(dir).filter((f) => f.endsWith('.salt'))).toHaveLength(1);
    }
  }, 60_000);
});
