import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const DAY_MS = 86_400_000;
export const SALT_BYTES = 32;

/** A salt file that is not exactly 32 bytes: hashing with it would silently merge or split visitors. */
export class BadSaltError extends Error {
  override readonly name = 'BadSaltError';
}

/**
 * Daily rotating salts (Plausible's model). The salt of day D is random, shared by every
 * collector instance that mounts the same directory, and deleted when day D+2 begins: at most
 * 48 h old, after which yesterday's visitor and origin ids can no longer be recomputed.
 *
 * A new salt is written and fsynced under a private temporary name, then hard-linked to
 * `<day>.salt`. link(2) fails when the name exists, so the first writer wins and every other
 * replica (also on a shared volume) reads the winner's 32 bytes; the final name only ever
 * points at a complete file, so no reader sees an empty or partial salt. A salt file of any
 * other size stops the collector with the path to delete.
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
    const temp = join(this.#dir, `.${day}.salt.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(SALT_BYTES));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    const salt = readFileSync(path);
    if (salt.length !== SALT_BYTES) {
      throw new BadSaltError(`salt file ${path} has ${salt.length} bytes, not ${SALT_BYTES}: it was not written by this collector. Stop every collector sharing ${this.#dir}, delete the file, and start them again.`);
    }
    return salt;
  }

  /** Deletes salts (and temp files a crashed writer left) of days that ended before `cutoff`'s day. */
  #forgetOlderThan(cutoff: number): void {
    const keep = new Date(cutoff).toISOString().slice(0, 10);
    for (const file of readdirSync(this.#dir)) {
      const day = /^\.?(\d{4}-\d{2}-\d{2})\.salt(?:\..*\.tmp)?$/.exec(file)?.[1];
      if (day !== undefined && day <= keep) rmSync(join(this.#dir, file), { force: true });
    }
  }
}
