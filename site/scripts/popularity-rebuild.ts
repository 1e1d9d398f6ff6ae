/**
 * The popularity-only rebuild: when the data and code are those of the live build, only what
 * pages show from popularity can differ, so instead of `astro build` (Vite, the content layer,
 * every page, Pagefind) it
 *   1. compares the new snapshot's per-route signatures with the ones recorded in the live build,
 *   2. hard-links the live build into a new build directory (no bytes copied) while it
 *   3. renders just the changed routes (and /popularity.json) through the live build's own server
 *      bundle (render-routes.ts; build-and-swap is a fresh process per rebuild), then replaces
 *      those files in the copy by rename,
 *   4. records the new signatures and the deploy manifest (only the rendered files re-hashed);
 *      the caller swaps `current` as after a full build.
 * The Pagefind index is reused: ranks and counts are outside `data-pagefind-body`.
 */
import { existsSync } from 'node:fs';
import { link, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { changedRoutes, shownSignatures } from '@hangarstack/shared';
import { readPopularity } from '../src/lib/popularity.ts';
import { routeFile } from '../src/lib/render-route.ts';
import { renderRoutes, writeRendered } from './render-routes.ts';
import { RECORD_FILE, writeRecord, type BuildRecord } from './build-record.ts';
import { MANIFEST_FILE, manifestOf, readManifest, updatedManifest, writeManifest } from './deploy-manifest.ts';

/**
 * Recreates `from` under `to` with every file hard-linked (same inode, no data copied), except
 * the top-level `skip` files (the record and the deploy manifest describe the build: written
 * fresh). Asynchronous, so the links are made on libuv's threads while the bundle renders.
 */
export async function hardLinkTree(from: string, to: string, skip: readonly string[] = [RECORD_FILE, MANIFEST_FILE]): Promise<number> {
  await mkdir(to);
  const counts = await Promise.all(
    (await readdir(from, { withFileTypes: true })).map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) return hardLinkTree(source, target, []);
      if (skip.includes(entry.name)) return 0;
      await link(source, target);
      return 1;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** The routes to re-render for `popularityFile` against the live build's record. */
export function routesToRender(live: BuildRecord, popularityFile: string): { routes: string[]; signatures: Record<string, string> } {
  const { popularity } = readPopularity(popularityFile);
  const known = new Set(live.slugs);
  const signatures = shownSignatures(popularity, (slug) => known.has(slug));
  // /popularity.json is the snapshot itself, re-written on every rebuild.
  return { routes: [...changedRoutes(live.signatures, signatures), '/popularity.json'], signatures };
}

/**
 * Builds `outDir` from the live build `liveDir` and the snapshot in `popularityFile`. Throws
 * (leaving `outDir` for the caller to delete) when a route does not render.
 */
export async function popularityRebuild(liveDir: string, live: BuildRecord, outDir: string, popularityFile: string): Promise<{ routes: string[]; linked: number; phases: string }> {
  let mark = performance.now();
  const lap = (): string => {
    const now = performance.now();
    const seconds = ((now - mark) / 1000).toFixed(1);
    mark = now;
    return seconds;
  };
  const { routes, signatures } = routesToRender(live, popularityFile);
  const diff = lap();
  // Link the copy and render through the live bundle at the same time; wait for both either way,
  // so a failed render never races the caller's removal of a half-linked directory.
  const [linking, rendering] = await Promise.allSettled([hardLinkTree(liveDir, outDir), renderRoutes(liveDir, routes, popularityFile)]);
  if (linking.status === 'rejected') throw linking.reason;
  if (rendering.status === 'rejected') throw rendering.reason;
  const linked = linking.value;
  const linkAndRender = lap();
  writeRendered(outDir, rendering.value);
  writeRecord(outDir, { ...live, signatures });
  const liveManifest = join(liveDir, MANIFEST_FILE);
  writeManifest(outDir, existsSync(liveManifest) ? updatedManifest(readManifest(liveManifest), outDir, routes.map(routeFile)) : manifestOf(outDir));
  return { routes, linked, phases: `diff ${diff} s, link + render ${linkAndRender} s, write + record ${lap()} s` };
}
