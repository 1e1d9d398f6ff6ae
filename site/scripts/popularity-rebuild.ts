/**
 * The popularity-only rebuild: when the data and code are those of the live build, only what
 * pages show from popularity can differ, so instead of `astro build` (Vite, every record,
 * every page, Pagefind) it
 *   1. compares the new snapshot's per-route signatures with the ones recorded in the live build,
 *   2. hard-links the live build into a new build directory (no bytes copied) while it
 *   3. renders just the changed routes (and /popularity.json) through the live build's own server
 *      bundle: in the render worker that holds it loaded (render-worker.ts runs the whole
 *      rebuild), else imported in this process (render-routes.ts), then replaces those files in
 *      the copy by rename,
 *   4. records the new signatures and the deploy manifest (only the rendered files re-hashed);
 *      the caller swaps `current` as after a full build.
 * The Pagefind index is reused: ranks and counts are outside `data-pagefind-body`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hardLinkTree } from './hard-link-tree.ts';
import { takeSpare } from './spare-copy.ts';
import { changedRoutes, shownSignatures } from '@hangarstack/shared';
import { readPopularity } from '../src/lib/popularity.ts';
import { routeFile } from '../src/lib/render-route.ts';
import { writeRendered } from './render-routes.ts';
import { RECORD_FILE, writeRecord, type BuildRecord } from './build-record.ts';
import { MANIFEST_FILE, manifestOf, readManifest, updatedManifest, writeManifest } from './deploy-manifest.ts';
import { lapTimer } from './lap-timer.ts';

/** The routes to re-render for `popularityFile` against the live build's record. */
export function routesToRender(live: BuildRecord, popularityFile: string): { routes: string[]; signatures: Record<string, string> } {
  const { popularity } = readPopularity(popularityFile);
  const known = new Set(live.slugs);
  const signatures = shownSignatures(popularity, (slug) => known.has(slug));
  // /popularity.json is the snapshot itself, re-written on every rebuild.
  return { routes: [...changedRoutes(live.signatures, signatures), '/popularity.json'], signatures };
}

/** How a popularity-only rebuild renders its routes. */
export interface RouteRenderer {
  /** Said in the log line: where the bundle was loaded. */
  readonly name: string;
  /** The rendered routes (with the snapshot in `popularityFile`); throws listing the ones that failed. */
  render(routes: readonly string[], popularityFile: string): Promise<Map<string, Buffer>>;
}

/**
 * Builds `outDir` from the live build `liveDir` and the snapshot in `popularityFile`, starting
 * from the live build's spare copy when there is one and `useSpare` says so (spare-copy.ts). Throws
 * (leaving `outDir` for the caller to delete) when a route does not render.
 */
export async function popularityRebuild(
  liveDir: string,
  live: BuildRecord,
  outDir: string,
  popularityFile: string,
  renderer: RouteRenderer,
  /**
   * Resolves when a spare being made is ready (the render worker's), to whether to look for one
   * (false with RENDER_WORKER_IDLE_MS=0: link the copy here, as without any worker). The render
   * runs meanwhile.
   */
  useSpare: Promise<boolean>,
): Promise<{ routes: string[]; copy: string; phases: string }> {
  const lap = lapTimer();
  const { routes, signatures } = routesToRender(live, popularityFile);
  const diff = lap();
  // The spare copy the render worker linked after the last swap (once it is ready), else link
  // one now. Link (or wait for the spare) and render at the same time; wait for both either way, so a failed render never races the
  // caller's removal of a half-linked directory.
  // When each was done, for the log: a spare still being linked is waited for only when the render is done first.
  const since = performance.now();
  const done = { copy: 0, render: 0 };
  const linking = useSpare
    .then(async (use) => (use && takeSpare(liveDir, outDir) ? ('spare' as const) : hardLinkTree(liveDir, outDir, [RECORD_FILE, MANIFEST_FILE])))
    .finally(() => (done.copy = performance.now() - since));
  const [linked, rendering] = await Promise.allSettled([linking, renderer.render(routes, popularityFile).finally(() => (done.render = performance.now() - since))]);
  if (linked.status === 'rejected') throw linked.reason;
  if (rendering.status === 'rejected') throw rendering.reason;
  const copy = linked.value === 'spare' ? 'the spare hard-linked copy of the live build' : `${linked.value} files hard-linked from the live build`;
  const linkAndRender = lap();
  writeRendered(outDir, rendering.value);
  writeRecord(outDir, { ...live, signatures });
  const liveManifest = join(liveDir, MANIFEST_FILE);
  writeManifest(outDir, existsSync(liveManifest) ? updatedManifest(readManifest(liveManifest), outDir, routes.map(routeFile)) : manifestOf(outDir));
  const after = (ms: number): string => (ms / 1000).toFixed(2);
  return { routes, copy, phases: `diff ${diff} s, link + render ${linkAndRender} s (${renderer.name}; the copy ready after ${after(done.copy)} s, the routes rendered after ${after(done.render)} s), write + record ${lap()} s` };
}
