import { link, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Recreates `from` under `to` with every file hard-linked (same inode, no data copied), except
 * the top-level `skip` files. Asynchronous, so the links are made on libuv's threads while the
 * caller does other work (a popularity-only rebuild renders meanwhile).
 */
export async function hardLinkTree(from: string, to: string, skip: readonly string[]): Promise<number> {
  // Not recursive: when the tree it copies into is being deleted (a test stopping its stack),
  // the next mkdir fails instead of re-creating the deleted directories.
  await mkdir(to);
  const counts = await Promise.all(
    (await readdir(from, { withFileTypes: true })).map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) return hardLinkTree(source, target, []);
      if (skip.includes(entry.name)) return 0;
      await link(source, target);
      return 1;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}
