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
 *
 * Why plain JavaScript behind a `.ts` name: `build-and-swap.ts` is a symlink to this file, and
 * Node takes a program's format from the file the link resolves to. Node strips the types of a
 * TypeScript entry with a WebAssembly module it loads and compiles first (its TypeScript
 * stripper): ~0.05 s of CPU at every start, plus V8 compiling that module further on its
 * helper threads, before a line of ours ran. Here the compile cache is enabled first, so the
 * TypeScript modules below come from it already stripped and the stripper is never loaded.
 * The command's start (no worker asked, two imports): 0.08-0.09 -> 0.03-0.04 s of CPU.
 */
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// compile-cache.ts's buildCompileCache(), which cannot be imported before the cache is on: the
// directory a caller chose, else this checkout's own (its OWN_COMPILE_CACHE; a test keeps the
// two the same). NODE_DISABLE_COMPILE_CACHE=1 turns it off here too.
module.enableCompileCache(process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../node_modules/.cache/hangarstack-compile-cache', import.meta.url)));
const [{ spawnAstroChild }, { rebuildThroughWorker }] = await Promise.all([import('./astro-child.ts'), import('./render-worker-client.ts')]);

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
  // Building here: the cache of the toolchain's import resolutions (resolution-cache.ts) shortens
  // the imports that stand between this start and the astro child's, as the compile cache does.
  const { enableResolutionCache, resolutionCacheFile } = await import('./resolution-cache.ts');
  const resolutions = enableResolutionCache(resolutionCacheFile('build-and-swap'));
  const { main } = await import('./build-and-swap-inline.ts');
  resolutions.stop();
  await main(args, early);
}
