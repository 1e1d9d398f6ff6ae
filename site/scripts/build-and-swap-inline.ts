/**
 * build-and-swap run in this process (build-and-swap.ts imports it when no render worker took
 * the rebuild): builds the site into a fresh directory and, only when the build succeeds, swaps
 * the live `current` symlink to it atomically (a new symlink renamed over the old one). A failed
 * build leaves the live site untouched. The last few builds are kept for rollback (swap.ts).
 *
 * When the data and code digests equal the live build's (its hangar-build.json), only popularity
 * can have changed: it renders just the changed routes into a hard-linked copy of the live build
 * (popularity-rebuild.ts) instead of running `astro build`. When only the data changed, it
 * renders the routes whose pages show changed records the same way (data-rebuild.ts), or builds
 * in full when it cannot tell exactly. After a swap it starts a render worker for the new live
 * bundle (render-worker.ts), which runs the next popularity-only rebuilds itself.
 *
 * Config: site/src/lib/config.ts (the same parse astro.config.ts uses; a bad value stops here,
 * before the lock is taken). Exit 0 on swap, 1 on a failed build (live site kept),
 * 75 when another build holds the lock (try again later). One build at a time (build-lock.ts):
 * a build that was killed loses its lock after BUILD_LOCK_STALE_MS, and the next build removes
 * the half-written directory and snapshot copy it left.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { shownSignatures } from '@hangarstack/shared';
import { spawnAstroChild, type AstroChild } from './astro-child.ts';
import { acquireBuildLock, BuildLockedError, type HeldLock } from './build-lock.ts';
import { readPopularity } from '../src/lib/popularity.ts';
import { catalogueSlugs, codeDigest, dataDigest, readRecord, writeRecord, type BuildRecord } from './build-record.ts';
import { MANIFEST_FILE, readManifest } from './deploy-manifest.ts';
import { FileHashes } from './file-hashes.ts';
import { boundBuildCompileCache, buildCompileCache } from './compile-cache.ts';
import { currentBuild, listBuilds, liveLayout } from './live-dir.ts';
import { cleanUpDeadBuild, isComplete, newBuildDir, pruneOldBuilds, snapshotCopy, swapTo } from './swap.ts';
import { REPO_ROOT, siteConfig } from '../src/lib/config.ts';
import { popularityRebuild } from './popularity-rebuild.ts';
import type { DataRebuildResult } from './data-rebuild.ts';
import { routeFile } from '../src/lib/render-route.ts';
import { ROUTE_KEYS_ROUTE, unaccountedRoutes } from '../src/lib/route-kinds.ts';
import { ensureRenderWorker } from './render-worker-client.ts';
import { spreadBuildTrees } from './spread-build-trees.ts';
import { renderRoutes } from './render-routes.ts';
import { workerDir, workerKey } from './render-worker-paths.ts';

const config = siteConfig();
const layout = liveLayout(config.liveDir);
mkdirSync(layout.builds, { recursive: true });

/**
 * Points `current` back at the previous complete build and reports `rebuild.rolled-back` on
 * hangarstack.system.events (Kafka when KAFKA_BROKERS is set, else the embedded log of a local
 * stack), so `./hangar events` shows the rollback in an incident's timeline. The rollback stands
 * even when the event cannot be written; the operator is told.
 */
async function rollback(): Promise<void> {
  const live = currentBuild(layout.current);
  const builds = listBuilds(layout.builds)
    .map((n) => join(layout.builds, n))
    .filter(isComplete);
  const at = live ? builds.indexOf(live) : -1;
  const previous = at > 0 ? builds[at - 1] : undefined;
  if (!previous) {
    console.error(`No earlier build to roll back to (live: ${live ?? 'none'}; kept: ${builds.length}).`);
    process.exit(1);
  }
  swapTo(layout, previous);
  console.log(`rolled back: current -> ${previous}`);
  const to = relative(layout.root, previous);
  const env = { ...process.env, EMBEDDED_LOG_PATH: process.env.EMBEDDED_LOG_PATH || resolve(REPO_ROOT, '.data', 'events.db') };
  // Only a rollback reports an event: its Kafka client (~0.2 s of imports) stays out of a build's start.
  const { reportSystemEvent } = await import('@hangarstack/collector/system-events');
  const where = await reportSystemEvent('rebuilder', 'rebuild.rolled-back', { to }, env, { onlyExistingLog: true }).catch((error: unknown) => {
    console.error(`rebuild.rolled-back not reported: ${(error as Error).message}`);
    return undefined;
  });
  if (where) console.log(`reported rebuild.rolled-back (to ${to}) to ${where}`);
  else console.error(`rebuild.rolled-back (to ${to}) was not reported: no Kafka reachable (KAFKA_BROKERS) and no embedded log at ${env.EMBEDDED_LOG_PATH}`);
}

/**
 * Moves the route keys the build wrote (pages/hangar-route-keys.json.ts) out of client/ into the
 * record. None when some page of `files` (the client files, from the deploy manifest) is not
 * accounted for by them (page-paths.ts): data changes then rebuild in full rather than miss a page.
 */
function takeRouteKeys(buildDir: string, files: readonly string[]): { routeKeys?: Record<string, string> } {
  const file = join(buildDir, 'client', routeFile(ROUTE_KEYS_ROUTE));
  if (!existsSync(file)) return {};
  const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  rmSync(file);
  const unaccounted = unaccountedRoutes(files, keys);
  if (unaccounted.length === 0) return { routeKeys: keys };
  console.error(`pages without a route key (site/src/lib/page-paths.ts): ${unaccounted.slice(0, 5).join(', ')}; a data change will rebuild in full`);
  return {};
}

/**
 * Starts the full `astro build` of `outDir` reading the snapshot copy `snapshot` (handed to it
 * in its own order, not in our environment): `early`, the child build-and-swap.ts spawned at its
 * start (astro-child.ts), or a new one. Asynchronous: the lock is kept fresh from this event loop
 * while the child builds.
 */
function startAstroBuild(outDir: string, snapshot: string, early?: AstroChild): AstroChild {
  const child = early ?? spawnAstroChild();
  child.go({ outDir, popularityFile: snapshot });
  return child;
}

async function buildAndSwap(full: boolean, early: AstroChild | undefined): Promise<void> {
  const outDir = newBuildDir(layout);
  let lock: HeldLock;
  try {
    lock = await acquireBuildLock(layout.root, outDir, {
      staleMs: config.buildLockStaleMs,
      onCompromised: (error) => {
        // Another build took the lock over (this one stalled past the stale limit): never swap.
        console.error(`✗ lost the build lock (${error.message}); the live site is unchanged.`);
        rmSync(outDir, { recursive: true, force: true });
        process.exit(1);
      },
    });
  } catch (error) {
    if (!(error instanceof BuildLockedError)) throw error;
    console.error(error.message);
    process.exit(75);
  }
  const dead = lock.tookOverFrom;
  if (dead) console.error(cleanUpDeadBuild(layout, dead));
  const started = performance.now();
  // Each build adds entries for bundles no later build loads: bounded in the background, while
  // this process mostly waits (compile-cache.ts).
  const bounded = boundBuildCompileCache();
  // The build reads a private copy of the snapshot: the consumer may publish a newer one
  // mid-build, and the recorded signatures must describe exactly what the pages show.
  const snapshot = snapshotCopy(layout, process.pid);
  if (existsSync(config.popularityFile)) copyFileSync(config.popularityFile, snapshot);
  else rmSync(snapshot, { force: true });
  const done = async (): Promise<void> => {
    rmSync(snapshot, { force: true });
    await lock.release();
  };
  let how = 'built';
  let partial: DataRebuildResult | undefined;
  /** The record this process wrote (a full build), else the rebuild's, read back below. */
  let recorded: BuildRecord | undefined;
  // A full build needs no digests to choose its path: it starts at once, and the digests (every
  // data and code file read when no stat matches, 0.3 s at 1k, 0.7 s at 10k) are taken on the
  // other core while the child loads Astro. They describe the same files the child reads.
  // Before the child makes the build dir: it and the worker's spare go where no build was just deleted (spread-build-trees.ts).
  if (full) spreadBuildTrees(layout.builds);
  const building = full ? startAstroBuild(outDir, snapshot, early) : undefined;
  try {
    const digestStarted = performance.now();
    // File hashes remembered between builds by stat (file-hashes.ts): most files are unchanged.
    const hashes = new FileHashes(join(layout.root, 'file-hashes.json'));
    const inputs = { dataDigest: dataDigest(config, hashes), codeDigest: codeDigest(config, hashes) };
    hashes.save();
    const digests = ((performance.now() - digestStarted) / 1000).toFixed(1);
    const liveDir = currentBuild(layout.current);
    const live = liveDir ? readRecord(liveDir) : undefined;
    if (liveDir && live && !full && live.dataDigest === inputs.dataDigest && live.codeDigest === inputs.codeDigest) {
      // No render worker took this rebuild (none runs yet, RENDER_WORKER_IDLE_MS=0, or another
      // setting): load the live bundle here.
      const renderer = { name: 'bundle loaded in-process', render: (routes: readonly string[], popularityFile: string) => renderRoutes(liveDir, routes, popularityFile) };
      const { routes, copy, phases } = await popularityRebuild(liveDir, live, outDir, snapshot, renderer, Promise.resolve(config.renderWorkerIdleMs > 0));
      how = `re-rendered ${routes.length} routes (popularity only; ${copy}; digests ${digests} s, ${phases})`;
    } else if (liveDir && live && !full && live.codeDigest === inputs.codeDigest && (partial = await (await import('./data-rebuild.ts')).dataRebuild({ liveDir, live, outDir, popularityFile: snapshot, inputs, slugs: catalogueSlugs(config), siteUrl: config.siteUrl }))) {
      const named = config.dataChanges.length > 0 ? `; the consumer named ${config.dataChanges.slice(0, 5).join(', ')}${config.dataChanges.length > 5 ? ' …' : ''}` : '';
      how = `re-rendered ${partial.rendered.length} routes and removed ${partial.removed.length}${partial.removed.length > 0 ? ` [${partial.removed.slice(0, 5).join(' ')}]` : ''} (data change${named}; ${partial.reindexed ? 'search re-indexed' : 'search index kept'}; digests ${digests} s, ${partial.phases})`;
    } else {
      // The new bundle's render worker starts now: node start and its imports overlap the build,
      // then it waits for the build's record and loads the bundle while the build is swapped, so
      // the first popularity-only rebuild after a full build finds it (nearly) ready.
      if (config.renderWorkerIdleMs > 0) await ensureRenderWorker(layout.root, outDir, workerKey(inputs), workerDir(layout.root, workerKey(inputs)), buildCompileCache().dir);
      // What the record takes from the inputs (the slugs, read with the digests, and what the pages
      // show of the snapshot copy) is made while the child builds, not after its report: between the
      // report and this process's exit is the end of every full build's wall time.
      const slugs = catalogueSlugs(config);
      const known = new Set(slugs);
      const signatures = shownSignatures(readPopularity(snapshot).popularity, (slug) => known.has(slug));
      // Once the child reports its build written, not once it has exited (astro-child.ts).
      const built = await (building ?? startAstroBuild(outDir, snapshot)).built;
      if (built.status !== 0) throw new Error(`astro build exited with ${built.status ?? built.signal}; its output is above`);
      if (!isComplete(outDir)) throw new Error(`the build finished but ${outDir} has no client/index.html or server/entry.mjs`);
      // The build wrote the deploy manifest itself, hashing while Pagefind wrote
      // (src/lib/deploy-manifest-integration.ts), without the route keys.
      const { files } = readManifest(join(outDir, MANIFEST_FILE));
      recorded = { schema: 1, ...inputs, slugs, signatures, ...takeRouteKeys(outDir, Object.keys(files)) };
      writeRecord(outDir, recorded);
    }
  } catch (error) {
    // A child still building would write on into the directory removed here.
    await building?.stop();
    rmSync(outDir, { recursive: true, force: true });
    await done();
    console.error(`✗ site build failed; the live site is unchanged.\n${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }
  swapTo(layout, outDir);
  pruneOldBuilds(layout, outDir);
  // The next popularity-only rebuild runs in a worker that already holds this bundle.
  const record = recorded ?? readRecord(outDir);
  if (config.renderWorkerIdleMs > 0 && record) await ensureRenderWorker(layout.root, outDir, workerKey(record), workerDir(layout.root, workerKey(record)), buildCompileCache().dir);
  await done();
  await bounded;
  console.log(`✓ site ${how} in ${((performance.now() - started) / 1000).toFixed(1)} s (after ${(started / 1000).toFixed(1)} s of process start and imports) and swapped live: current -> builds/${basename(outDir)}`);
}

/**
 * Runs the command with its arguments (see build-and-swap.ts). `early`: with --full, the astro
 * child build-and-swap.ts already spawned (astro-child.ts), which builds once this holds the lock.
 */
export async function main(args: readonly string[], early?: AstroChild): Promise<void> {
  if (args[0] === 'rollback') await rollback();
  else if (args[0] === undefined || args[0] === '--full') await buildAndSwap(args[0] === '--full', early);
  else {
    console.error(`Unknown argument ${args[0]}; use no argument to build and swap, --full to skip the popularity-only path, or "rollback".`);
    process.exit(2);
  }
}
