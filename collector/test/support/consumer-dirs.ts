import { join } from 'node:path';
import { tempDir } from '@hangarstack/testing/temp-dir';

/** Where one consumer process keeps its published snapshot and its state. */
export interface ConsumerDirs {
  popularityFile: string;
  stateDir: string;
}

/**
 * Fresh dirs for a consumer process in a test, removed when the test (or, made outside a test,
 * the file) ends, after it stopped the process (testing/src/temp-dir.ts). Test-only: the bench
 * passes dirs of its own to the starters (consumer-process.ts), which stay free of vitest.
 */
export function consumerDirs(): ConsumerDirs {
  const dir = tempDir('consumer-');
  return { popularityFile: join(dir, 'popularity.json'), stateDir: join(dir, 'state') };
}
