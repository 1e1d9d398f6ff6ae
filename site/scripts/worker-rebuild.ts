/**
 * A popularity-only rebuild run inside the render worker, for the rebuild command
 * (build-and-swap.ts) that asked over the socket: the same steps build-and-swap-inline.ts takes
 * (the build lock, the snapshot copy, the data and code digests, the per-route diff, the render,
 * the swap) without a process start, module imports or a bundle load, which were most of its
 * time. Anything but a popularity-only rebuild of the bundle this worker holds is handed back
 * (`fallback`) and the command builds in its own process, as without a worker.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { acquireBuildLock, BuildLockedError } from './build-lock.ts';
import { codeDigest, dataDigest, readRecord, scriptsDigest } from './build-record.ts';
import { FileHashes } from './file-hashes.ts';
import { currentBuild, type liveLayout } from './live-dir.ts';
import { popularityRebuild, type RouteRenderer } from './popularity-rebuild.ts';
import { workerKey } from './render-worker-paths.ts';
import { cleanUpDeadBuild, newBuildDir, pruneOldBuilds, swapTo } from './swap.ts';
import { claimForSpare } from './spare-copy.ts';
import { routeFile } from '../src/lib/render-route.ts';
import type { RebuildAnswer } from '@hangarstack/shared/rebuild-worker';
import { loadSiteConfig, type SiteConfig } from '../src/lib/config.ts';

export interface WorkerRebuildContext {
  /** The worker's own site config: a command with other settings builds in its own process. */
  readonly config: SiteConfig;
  readonly layout: ReturnType<typeof liveLayout>;
  /** The bundle this worker holds (workerKey of the build it loaded). */
  readonly key: string;
  /** scriptsDigest() when the worker started. */
  readonly scripts: string;
  readonly renderer: RouteRenderer;
  /** The popularity file the loaded bundle reads. */
  readonly popularityFile: string;
  /** Resolves when no spare copy of `build` is being linked (one being linked is worth waiting for). */
  spareSettled(build: string): Promise<void>;
  /** Each build this worker made: the build it was made from and the files it rendered (relative to the build dir). */
  readonly lineage: Map<string, { from: string; files: string[] }>;
  /** After a swap: make the spare of `live`, from `recycled` (a claimed old build and what differs) when there is one. */
  spareAfterSwap(live: string, recycled: { claimed: string; changed: Set<string> } | undefined): void;
}

/** The files that differ between `old` and `live` when this worker made every build from one to the other, else undefined. */
function changedSince(lineage: WorkerRebuildContext['lineage'], old: string, live: string): Set<string> | undefined {
  const changed = new Set<string>();
  for (let at = live, steps = 0; at !== old; steps++) {
    const step = lineage.get(at);
    if (!step || steps > lineage.size) return undefined;
    for (const file of step.files) changed.add(file);
    at = step.from;
  }
  return changed;
}

/** The settings a worker and the command must agree on for the worker's bundle to be the right one. */
const SAME: readonly (keyof SiteConfig)[] = ['liveDir', 'dataDir', 'siteUrl', 'collectorUrl'];

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** Runs the rebuild the command with `env` in `cwd` asked for. */
export async function rebuildInWorker(ctx: WorkerRebuildContext, request: { env: Record<string, string>; cwd: string; startedAfterMs?: number }): Promise<RebuildAnswer> {
  let asked: SiteConfig;
  try {
    asked = loadSiteConfig(request.env, request.cwd);
  } catch {
    // The command parses it again and says what is wrong.
    return { fallback: 'the site settings do not parse' };
  }
  if (asked.renderWorkerIdleMs === 0) return { fallback: 'RENDER_WORKER_IDLE_MS=0' };
  const differs = SAME.find((k) => asked[k] !== ctx.config[k]);
  if (differs) return { fallback: `the command's ${differs} is not the worker's` };
  const { layout } = ctx;
  const outDir = newBuildDir(layout);
  let lost: Error | undefined;
  let lock;
  try {
    lock = await acquireBuildLock(layout.root, outDir, { staleMs: asked.buildLockStaleMs, onCompromised: (error) => (lost = error) });
  } catch (error) {
    if (error instanceof BuildLockedError) return { code: 75, stdout: '', stderr: `${error.message}\n` };
    throw error;
  }
  const notes: string[] = [];
  try {
    if (lock.tookOverFrom) notes.push(cleanUpDeadBuild(layout, lock.tookOverFrom));
    const started = performance.now();
    // The bundle's popularity file is the snapshot copy: one new inode, renamed into place (the
    // bundle re-reads it when it changes), that a publish mid-rebuild does not touch.
    if (existsSync(asked.popularityFile)) {
      copyFileSync(asked.popularityFile, `${ctx.popularityFile}.tmp`);
      renameSync(`${ctx.popularityFile}.tmp`, ctx.popularityFile);
    } else rmSync(ctx.popularityFile, { force: true });
    const hashes = new FileHashes(join(layout.root, 'file-hashes.json'));
    const inputs = { dataDigest: dataDigest(asked, hashes), codeDigest: codeDigest(asked, hashes), scripts: scriptsDigest(hashes) };
    hashes.save();
    const digests = seconds(performance.now() - started);
    const liveDir = currentBuild(layout.current);
    const live = liveDir ? readRecord(liveDir) : undefined;
    if (!liveDir || !live || live.dataDigest !== inputs.dataDigest || live.codeDigest !== inputs.codeDigest) return { fallback: 'not a popularity-only rebuild' };
    if (workerKey(live) !== ctx.key) return { fallback: 'the live build is not the bundle this worker holds' };
    if (inputs.scripts !== ctx.scripts) return { fallback: 'site/scripts changed since the worker started' };
    let how: string;
    let routes: string[];
    try {
      const rebuilt = await popularityRebuild(liveDir, live, outDir, ctx.popularityFile, ctx.renderer, ctx.spareSettled(liveDir).then(() => true));
      if (lost) throw new Error(`lost the build lock (${lost.message})`);
      routes = rebuilt.routes;
      how = `re-rendered ${routes.length} routes (popularity only; ${rebuilt.copy}; digests ${digests} s, ${rebuilt.phases})`;
    } catch (error) {
      rmSync(outDir, { recursive: true, force: true });
      return { code: 1, stdout: '', stderr: `${notes.map((n) => `${n}\n`).join('')}✗ site build failed; the live site is unchanged.\n${(error as Error).stack ?? String(error)}\n` };
    }
    ctx.lineage.set(outDir, { from: liveDir, files: routes.map((route) => join('client', routeFile(route))) });
    swapTo(layout, outDir);
    // The build pruned now becomes the next spare when only files this worker rendered differ.
    let recycled: { claimed: string; changed: Set<string> } | undefined;
    pruneOldBuilds(layout, outDir, (old) => {
      const changed = recycled ? undefined : changedSince(ctx.lineage, old, outDir);
      if (changed) recycled = { claimed: claimForSpare(old), changed };
      return changed !== undefined;
    });
    for (const build of ctx.lineage.keys()) if (!existsSync(build)) ctx.lineage.delete(build);
    ctx.spareAfterSwap(outDir, recycled);
    const line = `✓ site ${how} in ${seconds(performance.now() - started)} s (in render worker ${process.pid}; ${request.startedAfterMs === undefined ? 'asked directly' : `the command took ${seconds(request.startedAfterMs)} s to start`}) and swapped live: current -> builds/${basename(outDir)}\n`;
    return { code: 0, stdout: line, stderr: notes.map((n) => `${n}\n`).join('') };
  } finally {
    // A lock another build took over is no longer this worker's to release.
    await lock.release().catch(() => undefined);
  }
}
