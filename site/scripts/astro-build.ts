/**
 * One full `astro build` of the site into `<outDir>`, configured only by the environment it is
 * started with (site/src/lib/config.ts parses it, in astro.config.ts and in the pages alike):
 *
 *   node site/scripts/astro-build.ts <outDir>
 *   node site/scripts/astro-build.ts -     loads Astro, then reads {"outDir", "popularityFile"}
 *                                          (astro-child.ts) on stdin and builds; exits if none comes
 *
 * build-and-swap.ts runs it as a child with POPULARITY_FILE naming its private snapshot copy, so
 * no script has to write configuration back into its own process.env for the pages to see it.
 */
import { writeSync } from 'node:fs';
import type { AstroIntegration } from 'astro';
import { BUILT_FD, BUILT_LINE } from './astro-child.ts';
import { enableBuildCompileCache } from './compile-cache.ts';
import { enableResolutionCache, resolutionCacheFile } from './resolution-cache.ts';

// Rolldown's allocator (mimalloc) kept ~150 MB it had freed after bundling resident; a zero
// purge delay returns it. It must be set before astro loads. The heap's growth is capped when
// generate starts (build-heap.ts, the integration below), not here: see there why.
process.env.MIMALLOC_PURGE_DELAY ??= '0';
// V8's compiled code of the toolchain (Astro, Vite, rolldown's bindings, zod…) kept on disk
// between builds, as a compiled binary such as Hugo's is (compile-cache.ts says why that is not
// state carried over from an earlier build). Everything else is imported below this line,
// dynamically, so that it is read from the cache (site/BUILD-PERFORMANCE.md, "The fixed cost of a full build").
enableBuildCompileCache();
// …and which file each of the toolchain's imports names (resolution-cache.ts): a third of
// `import('astro')` was Node resolving them.
const resolutions = enableResolutionCache(resolutionCacheFile('astro-build'));
// …and what it would load but never runs resolves to a stand-in (toolchain-stand-ins.ts: svgo and
// unifont, ~390 modules that astro/config pulls in for an optimizer and fonts this site does not use).
const { assertStandInsUnused, leaveOutUnusedToolchain } = await import('./toolchain-stand-ins.ts');
const standIns = leaveOutUnusedToolchain();
// Astro's telemetry would post each build's project and system details to a third party (a fetch,
// a DNS lookup on libuv's threads that the page writes need, and a `git rev-list` per build):
// nothing of a build leaves this machine.
process.env.ASTRO_TELEMETRY_DISABLED = '1';
const outArg = process.argv[2];
if (!outArg) {
  console.error('usage: node site/scripts/astro-build.ts <outDir | ->');
  process.exit(2);
}
// `-`: build-and-swap started this process before it held the build lock (astro-child.ts), so
// that loading Astro overlaps its own start. The order is read meanwhile; input that ends with
// none (the lock was busy, the parent died) ends this process at once, having written nothing.
// Input that ends after the order means build-and-swap died (SIGKILL): stop at once too, or this
// orphaned build would write on into the directory the next build, which takes the lock over,
// removes. Nothing below reads the site config before the order.
const { readAstroChildOrder } = await import('./astro-child-order.ts');
const parentGone = (): never => {
  console.error('astro-build: build-and-swap is gone (its pipe closed mid-build); stopping. The next build takes its lock over and removes this output.');
  process.exit(1);
};
const ordering = outArg === '-' ? readAstroChildOrder(process.stdin, parentGone) : Promise.resolve({ outDir: outArg, popularityFile: undefined });
void ordering.then((given) => given ?? process.exit(0), () => undefined);
// Once the order is in, the catalogue is read and validated on another thread while Astro and Vite
// load and bundle (catalogue-preload.ts), instead of on this one at the first page (1k: ~0.2 s,
// 10k: ~1.4 s); the pages' bundle takes it as parsed. A record that fails validation leaves the
// thread without a result, and the bundle reads the files itself and fails the build naming it.
const preloading = ordering.then(async (given) => {
  if (!given) return undefined;
  const [{ preloadCatalogue }, site] = await Promise.all([import('./catalogue-preload.ts'), import('../src/lib/config.ts')]);
  return preloadCatalogue(site.siteConfig().dataDir, 'build');
});
const { build } = await import('astro');
const order = await ordering;
if (!order) process.exit(0);
const { outDir } = order;
const { siteConfig, namePathsForPages } = await import('../src/lib/config.ts');
namePathsForPages(order.popularityFile);
const { SITE_DIR } = await import('./live-dir.ts');
// The config is imported here, by Node (which strips its types), and handed to Astro inline:
// Astro loads a .ts config file through a Vite dev server of its own, started and closed
// only for that (~0.2 s). `astro check`, `astro sync` and the bench still read the same file.
const { default: config } = await import('../astro.config.ts');
// No content layer to sync (the pages read the catalogue files themselves: src/lib/catalogue-files.ts),
// and the editor's type files are `astro sync`'s (`pnpm check`): `sync: false`, the builder's own
// option, passed on by build() though not in its type, spares the Vite dev server Astro's sync starts.
const logLevel = siteConfig().astroLogLevel;
assertStandInsUnused(config);
// The toolchain is loaded (what Vite loads later is a few modules); the pages' chunks are not its.
resolutions.stop();
standIns.stop();
// Not awaited: handed to the bundle when the thread posts it, if that is before the first page
// (~1.5 s into a 1k build; else the bundle reads the files itself). Waiting for it here, before
// Astro's build, held this thread up to 0.6 s while the thread competed with build-and-swap's digests.
void preloading.then(async (preload) => {
  await preload?.done;
  await preload?.install();
});
const { capHeapGrowth } = await import('./build-heap.ts');
// Astro's last hook before generate, run once the Vite builds are done (build-heap.ts).
const heapGrowth: AstroIntegration = { name: 'hangarstack:heap-growth', hooks: { 'astro:build:ssr': () => void capHeapGrowth() } };
await build({ ...config, integrations: [...(config.integrations ?? []), heapGrowth], configFile: false, root: SITE_DIR, outDir, logLevel }, { sync: false } as Parameters<typeof build>[1]);
// Every file is written: build-and-swap may record and swap the build while this process exits.
if (outArg === '-') {
  try {
    writeSync(BUILT_FD, BUILT_LINE);
  } catch {
    // Started with `-` by hand, without the report's pipe: there is no one to tell.
  }
  // Exit now, not once the event loop has drained: the exit handlers and the compile cache's
  // entries still run, but Node skips freeing the heap page by page before the kernel frees it all
  // at once (~1,000 munmap calls; under strace the exit came 200-230 -> 30 ms after the report).
  process.exit(0);
}
