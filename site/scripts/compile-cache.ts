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
import { readdir, rm, stat } from 'node:fs/promises';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Each full build also adds entries for its own prerender bundle (a new path every build: ~1.5 MB at
 * 1k aircraft, most of it the inlined data store, ~10× that at 10k), and a data-change rebuild for the live bundle it loads, which no later build reads.
 * Node never evicts, so past this size the directory is removed and the next build starts cold.
 * The toolchain's own entries are ~10 MB.
 */
export const COMPILE_CACHE_MAX_BYTES = 128 * 1024 * 1024;

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
    ({ bytes, removed }) => {
      if (removed) console.error(`compile cache ${cache.dir} held ${(bytes / 2 ** 20).toFixed(0)} MiB: removed, so the next build compiles the toolchain afresh`);
    },
    (error: unknown) => console.error(`compile cache ${cache.dir} not bounded (${(error as Error).message}); remove it by hand if it grows`),
  );
}

/** Removes `dir` when its files add up to more than `maxBytes`; a missing dir is empty. Returns the size found. */
export async function boundCompileCache(dir: string, maxBytes = COMPILE_CACHE_MAX_BYTES): Promise<{ bytes: number; removed: boolean }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let bytes = 0;
  for (const entry of entries) {
    // An entry another build's exit replaces meanwhile may be gone: it counts as nothing.
    if (entry.isFile()) bytes += await stat(join(entry.parentPath, entry.name)).then((s) => s.size, () => 0);
  }
  if (bytes <= maxBytes) return { bytes, removed: false };
  await rm(dir, { recursive: true, force: true });
  return { bytes, removed: true };
}
