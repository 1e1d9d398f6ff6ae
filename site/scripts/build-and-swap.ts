/**
 * The rebuild command: builds the site into a fresh directory and swaps it live atomically, only
 * when the build succeeds (build-and-swap-inline.ts has the details).
 *
 *   node site/scripts/build-and-swap.ts            build, check, swap; prints the build path
 *   node site/scripts/build-and-swap.ts --full     always a full `astro build`
 *   node site/scripts/build-and-swap.ts rollback   point `current` back at the previous build
 *                                                  (reported as rebuild.rolled-back)
 *
 * Exit 0 on swap, 1 on a failed build (live site kept), 75 when another build holds the lock.
 *
 * Without arguments it first asks the live dir's render worker (render-worker.ts), which holds
 * the live bundle loaded, to run the rebuild: when only popularity changed it does the whole
 * rebuild (lock, digests, diff, render, swap) and this process only prints its answer. Anything
 * else, or no worker, builds in this process. That is why this file imports nothing but the
 * worker client and the astro child's launcher (node built-ins only): this process's start is
 * most of what a popularity-only rebuild costs.
 */
import { spawnAstroChild } from './astro-child.ts';
import { rebuildThroughWorker } from './render-worker-client.ts';

const args = process.argv.slice(2);
// A full build's astro child starts first: it loads Astro (~0.6 s of CPU) while this process
// does its imports and takes the lock, and builds once told where (astro-child.ts). It exits
// by itself if it is never told (the lock is busy).
const early = args[0] === '--full' ? spawnAstroChild() : undefined;
const answer = args.length === 0 ? await rebuildThroughWorker(process.env, process.cwd()) : undefined;
if (answer && 'code' in answer) {
  process.stdout.write(answer.stdout);
  process.stderr.write(answer.stderr);
  process.exitCode = answer.code;
} else {
  // Building here: the compile cache of the toolchain (compile-cache.ts) shortens the imports
  // that stand between this start and the astro child's (~0.3 → ~0.15 s CPU), and so does the
  // cache of their resolutions (resolution-cache.ts).
  (await import('./compile-cache.ts')).enableBuildCompileCache();
  const { enableResolutionCache, resolutionCacheFile } = await import('./resolution-cache.ts');
  const resolutions = enableResolutionCache(resolutionCacheFile('build-and-swap'));
  const { main } = await import('./build-and-swap-inline.ts');
  resolutions.stop();
  await main(args, early);
}
