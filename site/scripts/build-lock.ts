import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The one-build-at-a-time lock of a live dir, with `proper-lockfile` (a lock directory created
 * atomically with mkdir and kept fresh by touching its mtime while the holder lives): a build that
 * is SIGKILLed stops touching it, so after `staleMs` the next build takes it over instead of
 * waiting for someone to delete a lock file by hand. Beside it, `build-lock.owner.json` records
 * who holds it (pid, host, since, output dir), for the message another build prints and for the
 * taker-over to clean up what the dead build left.
 */
export interface BuildOwner {
  pid: number;
  host: string;
  since: string;
  outDir: string;
}

export class BuildLockedError extends Error {
  override readonly name = 'BuildLockedError';
}

export interface HeldLock {
  /** The previous owner's record when its stale lock was taken over, else null. */
  readonly tookOverFrom: BuildOwner | null;
  release(): Promise<void>;
}

export async function acquireBuildLock(root: string, outDir: string, options: { staleMs: number; onCompromised: (error: Error) => void }): Promise<HeldLock> {
  const lockPath = join(root, 'build-lock');
  const ownerPath = join(root, 'build-lock.owner.json');
  const previous = readOwner(ownerPath);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(root, {
      lockfilePath: lockPath,
      realpath: false,
      stale: options.staleMs,
      update: Math.max(1_000, Math.floor(options.staleMs / 4)),
      retries: 0,
      onCompromised: options.onCompromised,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = readOwner(ownerPath);
    const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'another build';
    throw new BuildLockedError(`${who} holds ${lockPath}; try again when it finishes (a build that died is taken over ${options.staleMs / 1000} s after its last sign of life).`);
  }
  const owner: BuildOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), outDir };
  writeFileSync(ownerPath, `${JSON.stringify(owner)}\n`);
  return {
    tookOverFrom: previous,
    async release() {
      rmSync(ownerPath, { force: true });
      await release();
    },
  };
}

/** Who holds the lock of the live dir `root` now (null: nobody, or a damaged record). */
export const buildLockOwner = (root: string): BuildOwner | null => readOwner(join(root, 'build-lock.owner.json'));

function readOwner(path: string): BuildOwner | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BuildOwner;
  } catch {
    return null;
  }
}
