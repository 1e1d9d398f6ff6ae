import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@hangarstack/testing/temp-dir';

/**
 * A data dir with a few aircraft, enough for the collector's slug check; removed when the test
 * (or, made outside a test, the file) ends, after it stopped the collector reading it.
 */
export function fixtureAircraftDir(slugs: readonly string[]): string {
  const dir = join(tempDir('aircraft-'), 'aircraft');
  mkdirSync(dir);
  for (const slug of slugs) writeFileSync(join(dir, `${slug}.json`), JSON.stringify({ slug }));
  return dir;
}
