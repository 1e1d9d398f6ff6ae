/**
 * Where the full build keeps Node's module compile cache (V8's compiled code of the toolchain:
 * Astro, Vite, rolldown's bindings, zod…), and the bound on its size. astro-build.ts and build-and-swap
 * (when it builds in process) enable it; build-and-swap keeps it bounded while a full build runs, and
 * hands it to the processes it starts in NODE_COMPILE_CACHE (the astro child, the render worker), so
 * that it covers their first files too.
 *
 * It is a cache of the tool, not of the site: like Hugo's compiled binary it holds no input or
 * output of a build, and Node checks each file's content hash before it uses an entry, so an
 * upgraded or edited module is compiled afresh. NODE_DISABLE_COMPILE_CACHE=1 turns it off;
 * NODE_COMPILE_CACHE=<dir> moves it (that directory is then the user's, never wiped here).
 */
import { readdir, rm } from 'node:fs/promises';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Node writes one file per compiled module. Each full build also adds ~35 for its own server
 * bundle's chunks (a new path every build), and a data-change rebuild some for the live bundle it
 * loads, which no later build reads; Node never evicts. Past this many files the directory is
 * removed and the next build starts cold. The toolchain's own entries are ~2,000 (~15 MB), a
 * build's ~10 KB each: ~80 MB at the bound, some 170 full builds apart.
 *
 * Files are counted, not sized: a stat of each (one after another, on libuv's threads) cost
 * 0.13-0.32 s of build-and-swap's CPU per build at 3,300-8,900 files, beside the astro child's
 * start on a 2-core machine; one readdir per directory costs 2-4 ms.
 */
export const COMPILE_CACHE_MAX_ENTRIES = 8_000;

/**
 * The checkout's own cache, beside Vite's (node_modules/.vite): owned by whoever installed this
 * tree, never shared with another checkout or user. A directory under the system tmpdir would
 * be both: each worktree's builds would evict the others', and on a shared machine another
 * user could plant compiled code there for this build to run.
 */
export const OWN_COMPILE_CACHE = fileURLToPath(new URL('../node_modules/.cache/hangarstack-compile-cache', import.meta.url));

/** The directory astro-build.ts hands to `module.enableCompileCache`, and whether it is ours to bound. */
export function buildCompileCache(env: Record<string, string | undefined> = process.env): { dir: string; ours: boolean } {
  const chosen = env.NODE_COMPILE_CACHE;
  return chosen ? { dir: chosen, ours: false } : { dir: OWN_COMPILE_CACHE, ours: true };
}

/**
 * Turns the cache on for this process: every module loaded afterwards (so import the toolchain
 * dynamically after calling this) is read from it or compiled into it.
 */
export function enableBuildCompileCache(): void {
  module.enableCompileCache(buildCompileCache().dir);
}

/**
 * Bounds this tree's own cache (not a NODE_COMPILE_CACHE the user chose) in the background,
 * saying so when it removed it; never fails the caller.
 */
export function boundBuildCompileCache(): Promise<void> {
  const cache = buildCompileCache();
  if (!cache.ours) return Promise.resolve();
  return boundCompileCache(cache.dir).then(
    ({ entries, removed }) => {
      if (removed) console.error(`compile cache ${cache.dir} held ${entries} files: removed, so the next build compiles the toolchain afresh`);
    },
    (error: unknown) => console.error(`compile cache ${cache.dir} not bounded (${(error as Error).message}); remove it by hand if it grows`),
  );
}

/** Removes `dir` when it holds more than `maxEntries` files; a missing dir is empty. Returns the count found. */
export async function boundCompileCache(dir: string, maxEntries = COMPILE_CACHE_MAX_ENTRIES): Promise<{ entries: number; removed: boolean }> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const entries = found.filter((entry) => entry.isFile()).length;
  if (entries <= maxEntries) return { entries, removed: false };
  await rm(dir, { recursive: true, force: true });
  return { entries, removed: true };
}
