import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceClass } from '@hangarstack/shared';

const DAY_MS = 86_400_000;

/**
 * Daily rotating salts (Plausible's model). The salt of day D is random, shared by every
 * collector instance that mounts the same directory (created with O_EXCL, so the first writer
 * wins), and deleted when day D+2 begins: at most 48 h old, after which yesterday's visitor ids
 * can no longer be recomputed from anything.
 */
export class SaltStore {
  readonly #dir: string;
  readonly #now: () => number;
  #day = '';
  #salt: Buffer = Buffer.alloc(0);

  constructor(dir: string, now: () => number = Date.now) {
    this.#dir = dir;
    this.#now = now;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** The salt for the current UTC day, creating it (and forgetting old ones) on rotation. */
  current(): Buffer {
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#salt = this.#load(day);
      this.#day = day;
      this.#forgetOlderThan(this.#now() - 2 * DAY_MS);
    }
    return this.#salt;
  }

  #load(day: string): Buffer {
    const path = join(this.#dir, `${day}.salt`);
    try {
      writeFileSync(path, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(path);
  }

  #forgetOlderThan(cutoff: number): void {
    const keep = new Date(cutoff).toISOString().slice(0, 10);
    for (const file of readdirSync(this.#dir)) {
      const day = file.replace(/\.salt$/, '');
      if (file.endsWith('.salt') && day <= keep) rmSync(join(this.#dir, file), { force: true });
    }
  }
}

/** 128 bits of SHA-256(salt, IP, user agent, site): a visitor id for today only. */
export function visitorId(salt: Buffer, ip: string, userAgent: string, site: string): string {
  return createHash('sha256').update(salt).update(ip).update('\0').update(userAgent).update('\0').update(site).digest('hex').slice(0, 32);
}

/** A coarse device class from the user agent; the user agent itself is never kept. */
export function deviceClass(userAgent: string): DeviceClass {
  if (/iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/i.test(userAgent)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android|Windows Phone/i.test(userAgent)) return 'mobile';
  if (/Windows NT|Macintosh|X11|CrOS|Linux/i.test(userAgent)) return 'desktop';
  return 'other';
}
