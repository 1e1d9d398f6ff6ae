/**
 * Where the full build keeps Node's module compile cache (V8's compiled code of the toolchain:
 * Astro, Vite, rolldown's bindings, zod…), and the bound on its size. astro-build.ts enables it;
 * build-and-swap keeps it bounded while the build runs.
 *
 * It is a cache of the tool, not of the site: like Hugo's compiled binary it holds no input or
 * output of a build, and Node checks each file's content hash before it uses an entry, so an
 * upgraded or edited module is compiled afresh. NODE_DISABLE_COMPILE_CACHE=1 turns it off;
 * NODE_COMPILE_CACHE=<dir> moves it (that directory is then the user's, never wiped here).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Each build also adds entries for its own prerender bundle (a new path every build: ~1.5 MB at
 * 1k aircraft, most of it the inlined data store, ~10× that at 10k), which no later build reads.
 * Node never evicts, so past this size the directory is removed and the next build starts cold.
 * The toolchain's own entries are ~10 MB.
 */
export const COMPILE_CACHE_MAX_BYTES = 128 * 1024 * 1024;

/** The directory astro-build.ts hands to `module.enableCompileCache`, and whether it is ours to bound. */
export function buildCompileCache(env: Record<string, string | undefined> = process.env): { dir: string; ours: boolean } {
  const chosen = env.NODE_COMPILE_CACHE;
  return chosen ? { dir: chosen, ours: false } : { dir: join(tmpdir(), 'hangarstack-build-compile-cache'), ours: true };
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
