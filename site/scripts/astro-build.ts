/**
 * One full `astro build` of the site into `<outDir>`, configured only by the environment it is
 * started with (site/src/lib/config.ts parses it, in astro.config.ts and in the pages alike):
 *
 *   node site/scripts/astro-build.ts <outDir>
 *
 * build-and-swap.ts runs it as a child with POPULARITY_FILE naming its private snapshot copy, so
 * no script has to write configuration back into its own process.env for the pages to see it.
 */
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
const { build } = await import('astro');
await build({ root: SITE_DIR, outDir, logLevel: siteConfig().astroLogLevel });
