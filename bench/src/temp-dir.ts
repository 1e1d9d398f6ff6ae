/**
 * The bench's scratch dirs: a fresh dir under the OS temp dir, removed once the work on it has
 * settled, failed or not, so a bench run leaves nothing in /tmp. (Tests have their own,
 * @hangarstack/testing/temp-dir, tied to Vitest's test and file lifetimes.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `work` on `<tmpdir>/<prefix>XXXXXX`, then removes it; the processes `work` started on it must be stopped by then. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
