/**
 * The thread body of catalogue-preload.ts: at the lowest CPU priority when asked (the build it runs
 * beside comes first; on Linux the nice value is per thread), parses the catalogue collections of
 * workerData.dataDir as the bundle would (src/lib/catalogue-files.ts), and posts them with the
 * data digest of exactly the bytes it parsed (other files of the data dir are hashed as read).
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

export interface PreloadData {
  dataDir: string;
  /** At nice 19 (the render worker beside a build), else at the priority of the thread that started it (the build itself). */
  lowest: boolean;
}

export interface Preloaded {
  digest: string;
  collections: Record<'aircraft' | 'manufacturers' | 'types', unknown[]>;
}

// Before the imports below (zod and the shared schemas: most of this thread's CPU at 1k aircraft),
// which static imports would have run at the build's priority.
const { dataDir, lowest } = workerData as PreloadData;
if (lowest) setPriority(19);
const [{ readCollectionFiles }, { dataDigestOf }, { contentHash }] = await Promise.all([import('../src/lib/catalogue-files.ts'), import('./build-record.ts'), import('./file-hashes.ts')]);
const hashes = new Map<string, string>();
const read = (file: string): string => {
  const bytes = readFileSync(file);
  hashes.set(file, contentHash(bytes));
  return bytes.toString('utf8');
};
const collections = {
  aircraft: readCollectionFiles(dataDir, 'aircraft', read),
  manufacturers: readCollectionFiles(dataDir, 'manufacturers', read),
  types: readCollectionFiles(dataDir, 'types', read),
};
const digest = dataDigestOf(dataDir, (file) => hashes.get(file) ?? contentHash(readFileSync(file)));
parentPort?.postMessage({ digest, collections } satisfies Preloaded);
