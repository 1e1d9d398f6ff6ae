/**
 * One full `astro build` of the site into `<outDir>`, configured only by the environment it is
 * started with (site/src/lib/config.ts parses it, in astro.config.ts and in the pages alike):
 *
 *   node site/scripts/astro-build.ts <outDir>
 *
 * build-and-swap.ts runs it as a child with POPULARITY_FILE naming its private snapshot copy, so
 * no script has to write configuration back into its own process.env for the pages to see it.
 */
import v8 from 'node:v8';
import { siteConfig } from '../src/lib/config.ts';
import { SITE_DIR } from './live-dir.ts';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node site/scripts/astro-build.ts <outDir>');
  process.exit(2);
}
// If build-and-swap dies (SIGKILL), stop too: an orphaned build would keep writing into the
// directory the next build, which takes the lock over, removes.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(1), 500).unref();
// Peak memory (site/README.md, "Where a full build spends its time"). After a full GC the heap
// holds ~170 MB at 10k aircraft, but V8 let garbage grow it to ~650 MB while generating: a
// heap that grows by a quarter past the live set keeps that in check with no fixed cap (a cap
// would fail a bigger catalogue). Rolldown's allocator (mimalloc) kept ~150 MB it had freed
// after bundling resident; a zero purge delay returns it. Both must be set before astro loads.
v8.setFlagsFromString('--heap-growing-percent=25');
process.env.MIMALLOC_PURGE_DELAY ??= '0';
const { build } = await import('astro');
await build({ root: SITE_DIR, outDir, logLevel: siteConfig().astroLogLevel });
