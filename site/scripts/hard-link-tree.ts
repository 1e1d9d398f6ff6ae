import { link, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How many links one directory has in flight. Bounded because every async fs call of the process
 * queues on libuv's 4 threads behind them: a spare copy's 3,000-30,000 links queued at once held
 * the render worker's build lock (a mkdir) and writes back for a second or more under load.
 */
const IN_FLIGHT = 16;

/**
 * Recreates `from` under `to` with every file hard-linked (same inode, no data copied), except
 * the top-level `skip` files. Asynchronous, so the links are made on libuv's threads while the
 * caller does other work (a popularity-only rebuild renders meanwhile).
 */
export async function hardLinkTree(from: string, to: string, skip: readonly string[]): Promise<number> {
  // Not recursive: when the tree it copies into is being deleted (a test stopping its stack),
  // the next mkdir fails instead of re-creating the deleted directories.
  await mkdir(to);
  const entries = await readdir(from, { withFileTypes: true });
  let count = 0;
  for (let at = 0; at < entries.length; at += IN_FLIGHT) {
    const counts = await Promise.all(
      entries.slice(at, at + IN_FLIGHT).map(async (entry) => {
        const source = join(from, entry.name);
        const target = join(to, entry.name);
        if (entry.isDirectory()) return hardLinkTree(source, target, []);
        if (skip.includes(entry.name)) return 0;
        await link(source, target);
        return 1;
      }),
    );
    count += counts.reduce((a, b) => a + b, 0);
  }
  return count;
}
