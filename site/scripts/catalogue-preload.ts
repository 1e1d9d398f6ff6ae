/**
 * The catalogue parsed for the render worker's bundle while the build that made the bundle still
 * runs: the bundle reads the catalogue from the data dir (src/lib/catalogue-files.ts) at its first
 * render, 1.4 s at 10k aircraft and 0.2 s at 1k, and the first popularity-only rebuild after a
 * full build waited for it. A thread at the lowest priority parses it during the build
 * (catalogue-preload-thread.ts); the worker hands the result to the bundle (the PRELOADED global
 * of src/lib/catalogue-files.ts) only when its digest is the build record's data digest: the
 * same bytes the build was made from. Otherwise, or when the thread has not finished by then,
 * the bundle reads the files itself as before.
 */
import { Worker } from 'node:worker_threads';
import { PRELOADED } from '../src/lib/catalogue-files.ts';
import type { PreloadData, Preloaded } from './catalogue-preload-thread.ts';

export interface CataloguePreload {
  /** Settles when the thread has posted the catalogue or failed. */
  readonly done: Promise<void>;
  /**
   * Gives the bundle the parsed catalogue if it is ready and is `dataDigest`'s; whether it did. No
   * digest: the catalogue as the thread read it (for the build, which is made from that read).
   */
  install(dataDigest?: string): Promise<'installed' | 'not ready' | 'other data'>;
}

/**
 * Starts parsing `dataDir`'s catalogue off the main thread: for the render worker beside a build
 * (the lowest CPU priority, with the digest install checks), or for the build that needs it next
 * (its own priority, no digest: catalogue-preload-thread.ts).
 */
export function preloadCatalogue(dataDir: string, user: PreloadData['for'] = 'worker'): CataloguePreload {
  const thread = new Worker(new URL('./catalogue-preload-thread.ts', import.meta.url), { workerData: { dataDir, for: user } satisfies PreloadData });
  let result: Preloaded | undefined;
  const done = new Promise<void>((settled) => {
    thread.once('message', (message: Preloaded) => {
      result = message;
      settled();
    });
    // A failed parse leaves the bundle to read the files (and report what is wrong) itself.
    thread.once('error', () => settled());
    thread.once('exit', () => settled());
  });
  return {
    done,
    async install(dataDigest) {
      await thread.terminate();
      if (!result) return 'not ready';
      if (dataDigest !== undefined && result.digest !== dataDigest) return 'other data';
      (globalThis as { [PRELOADED]?: Map<string, unknown> })[PRELOADED] = new Map(Object.entries(result.collections).map(([name, entries]) => [`${dataDir}\0${name}`, entries]));
      result = undefined;
      return 'installed';
    },
  };
}
