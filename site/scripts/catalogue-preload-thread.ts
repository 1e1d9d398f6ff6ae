/**
 * The thread body of catalogue-preload.ts: parses the catalogue collections of workerData.dataDir
 * as the bundle would (src/lib/catalogue-files.ts) and posts them. For the render worker, at the
 * lowest CPU priority (the build it runs beside comes first; on Linux the nice value is per thread)
 * and with the data digest of exactly the bytes it parsed (other files of the data dir are hashed
 * as read).
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

export interface PreloadData {
  dataDir: string;
  /**
   * 'worker': the render worker beside a build, at nice 19, with the digest of what it read (the
   * worker checks it against the build record's); 'build': the build itself, at its priority, no
   * digest (the build is made from this read).
   */
  for: 'worker' | 'build';
}

export interface Preloaded {
  /** The data digest of the bytes parsed ('worker' only). */
  digest?: string;
  collections: Record<'aircraft' | 'manufacturers' | 'types', unknown[]>;
}

// Before the imports below (zod and the shared schemas: most of this thread's CPU at 1k aircraft),
// which static imports would have run at the build's priority.
const { dataDir, for: user } = workerData as PreloadData;
if (user === 'worker') setPriority(19);
const [{ readCollectionFiles }, digesting] = await Promise.all([
  import('../src/lib/catalogue-files.ts'),
  user === 'worker' ? Promise.all([import('./build-record.ts'), import('./file-hashes.ts')]) : undefined,
]);
/** For the worker's digest: each file's hash as it is read, so the digest is of exactly the bytes parsed. */
const hashes = new Map<string, string>();
const read = digesting
  ? (file: string): string => {
      const bytes = readFileSync(file);
      hashes.set(file, digesting[1].contentHash(bytes));
      return bytes.toString('utf8');
    }
  : undefined;
const collections = {
  aircraft: readCollectionFiles(dataDir, 'aircraft', read),
  manufacturers: readCollectionFiles(dataDir, 'manufacturers', read),
  types: readCollectionFiles(dataDir, 'types', read),
};
if (digesting) {
  const [{ dataDigestOf }, { contentHash }] = digesting;
  const digest = dataDigestOf(dataDir, (file) => hashes.get(file) ?? contentHash(readFileSync(file)));
  parentPort?.postMessage({ digest, collections } satisfies Preloaded);
} else parentPort?.postMessage({ collections } satisfies Preloaded);
