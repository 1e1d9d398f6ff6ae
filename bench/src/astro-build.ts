/**
 * One Astro build of site/ into a directory of the benchmark's own, with its own cache, so bench
 * builds never touch the site's dist/ or incremental-build cache:
 * `node bench/src/astro-build.ts <outDir> <cacheDir>` (HANGAR_DATA_DIR and POPULARITY_FILE
 * come from the environment as for any site build). Run as a child so its peak memory is its own.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, cacheDir] = process.argv.slice(2);
if (!outDir || !cacheDir) {
  console.error('usage: node bench/src/astro-build.ts <outDir> <cacheDir>');
  process.exit(2);
}
const siteRoot = join(import.meta.dirname, '..', '..', 'site');
// astro is the site's dependency, not the root's: resolve it from site/.
const astroEntry = createRequire(join(siteRoot, 'package.json')).resolve('astro');
const { build } = (await import(pathToFileURL(astroEntry).href)) as {
  build(config: { root: string; outDir: string; cacheDir: string; logLevel: 'warn' }): Promise<void>;
};
await build({ root: siteRoot, outDir: resolve(outDir), cacheDir: resolve(cacheDir), logLevel: 'warn' });
