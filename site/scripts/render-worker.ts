/**
 * A long-lived render worker: keeps one build's server bundle loaded and runs popularity-only
 * rebuilds itself (worker-rebuild.ts) for the rebuild command, build-and-swap.ts, which only
 * asks over the live dir's socket (@hangarstack/shared/rebuild-worker). A rebuild then costs no bundle load
 * (about a second), no imports of zod, the shared package and the scripts (several hundred ms
 * under load), and no hard-linking of the live build: the worker links a spare copy of each new
 * live build ahead of time (spare-copy.ts), so a rebuild is a few digests, a few renders and
 * two renames. build-and-swap-inline.ts starts it after a full build (render-worker-client.ts).
 *
 *   node site/scripts/render-worker.ts <buildDir> <workerDir>
 *
 * The bundle reads popularity from `<workerDir>/popularity.json`, which a rebuild renames into
 * place while it holds the build lock (lib/popularity.ts re-reads the file when it changes).
 * It is loaded from a hard-linked copy of the build's server/ inside `<workerDir>`, because the
 * bundle imports its page chunks lazily and the build it came from is pruned a few rebuilds later.
 *
 * One worker serves a live dir. A worker for a newer bundle takes the socket over (`yield`).
 * It exits, removing its directory and socket, when nothing asked it anything for
 * RENDER_WORKER_IDLE_MS, when the live build no longer has its digests (a full build makes a new
 * bundle), when the live dir is gone (a test's temp dir), on SIGTERM or SIGINT, and after a
 * rebuild it handed back because site/scripts changed under it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { codeDigest, dataDigest, readRecord, RECORD_FILE, scriptsDigest, type BuildRecord } from './build-record.ts';
import { MANIFEST_FILE } from './deploy-manifest.ts';
import { routesToRender } from './popularity-rebuild.ts';
import { buildLockOwner } from './build-lock.ts';
import { FileHashes } from './file-hashes.ts';
import { currentBuild, liveLayout } from './live-dir.ts';
import { hardLinkTree } from './hard-link-tree.ts';
import { loadBundle } from './render-routes.ts';
import { workerKey, workerPopularity } from './render-worker-paths.ts';
import { prepareSpare, recycleIntoSpare } from './spare-copy.ts';
import { followBuild, type EarlySpare } from './early-spare.ts';
import { preloadCatalogue } from './catalogue-preload.ts';
import { askWorker, rebuildSocket, startingFile, type WorkerAnswer, type WorkerRequest } from '@hangarstack/shared/rebuild-worker';
import { rebuildInWorker } from './worker-rebuild.ts';
import { siteConfig } from '../src/lib/config.ts';

const [buildArg, workerArg] = process.argv.slice(2);
if (!buildArg || !workerArg) {
  console.error('usage: node site/scripts/render-worker.ts <buildDir> <workerDir>');
  process.exit(2);
}
const buildDir: string = buildArg;
const workerDir: string = workerArg;
const config = siteConfig();
const layout = liveLayout(config.liveDir);
const popularity = workerPopularity(workerDir);
const socket = rebuildSocket(layout.root);
const imported = performance.now();
const log = (line: string): void => console.log(`${new Date().toISOString()} render worker ${process.pid}: ${line}`);
const scripts = scriptsDigest(new FileHashes(join(layout.root, 'file-hashes.json')));

// Inside a directory named `server`: @astrojs/node finds its client dir by walking up to it.
const copyDir = join(workerDir, String(process.pid));
try {
  // Not recursive: ensureRenderWorker made workerDir before spawning this process, so a missing
  // one means the live dir was removed while this worker started (a test stopping its stack);
  // re-creating it would bring the deleted live dir back.
  mkdirSync(copyDir);
} catch (error) {
  log(`exits: cannot make its directory (${(error as Error).message})`);
  process.exit(0);
}
/** How long after a rebuild's answer the spare for the next one starts (the asking command exits meanwhile). */
const SPARE_AFTER_ANSWER_MS = 100;
/** Spare copies of live builds (spare-copy.ts), one at a time, newest request wins. */
type Recycled = { claimed: string; changed: Set<string> };
let spareWanted: { build: string; early: boolean; recycled: Recycled | undefined } | undefined;
let sparing: Promise<void> | undefined;
let spareBuild: string | undefined;
/**
 * The spare of this worker's own build, linked while that build still writes (early-spare.ts):
 * a full build starts its worker as Astro starts, long before the first page is written.
 */
const building = !existsSync(join(buildDir, RECORD_FILE)) && buildLockOwner(layout.root)?.outDir === buildDir;
let following: EarlySpare | undefined = building ? followBuild(buildDir) : undefined;
/** The catalogue parsed meanwhile for the bundle's first render (catalogue-preload.ts). */
const preload = building ? preloadCatalogue(config.dataDir) : undefined;
/**
 * `early`: the worker's own build, which may not be live yet; else only a build that is live now.
 * `recycled`: an old build to make it from (spare-copy.ts recycleIntoSpare), else it is linked whole.
 */
function wantSpare(build: string, early = false, recycled?: Recycled): void {
  if (spareWanted?.recycled) rmSync(spareWanted.recycled.claimed, { recursive: true, force: true });
  spareWanted = { build, early, recycled };
  runSpares();
}
function runSpares(): void {
  if (sparing) return;
  sparing = (async () => {
    // Not in this tick: a recycled spare is made synchronously, and the job must be `sparing` while it runs.
    await null;
    while (spareWanted) {
      const { build: next, early: anyway, recycled: from } = spareWanted;
      spareWanted = undefined;
      if (!anyway && currentBuild(layout.current) !== next) {
        if (from) rmSync(from.claimed, { recursive: true, force: true });
        continue;
      }
      spareBuild = next;
      try {
        if (from) {
          recycleIntoSpare(from.claimed, next, from.changed);
          log(`spare of ${next} recycled from an old build (${from.changed.size} files linked)`);
        } else if (following && next === buildDir) {
          const finishing = following;
          following = undefined;
          const started = performance.now();
          const made = await finishing.finish();
          log(`spare of ${next} linked while it was built (${made.files} files linked and ${made.dirs} directories made after it, in ${((performance.now() - started) / 1000).toFixed(2)} s)`);
        } else await prepareSpare(next);
      } catch (error) {
        log(`could not prepare a spare copy of ${next}: ${(error as Error).message}`);
      }
      spareBuild = undefined;
    }
  })().finally(() => {
    sparing = undefined;
    // A request made after the loop's last check.
    if (spareWanted) runSpares();
  });
}

/**
 * Waits until the build's server bundle and pages are final: its deploy manifest is the last file
 * the astro build writes (at build:done), and build-and-swap writes the record after the astro
 * process has exited (~0.1 s later at 1k). A full build starts its worker as Astro starts (node
 * start and these imports then overlap the build), so neither may be there yet: wait while that
 * build holds the lock; a build that ends without them failed.
 */
async function awaitFinalFiles(): Promise<boolean> {
  const final = (): boolean => existsSync(join(buildDir, MANIFEST_FILE)) || existsSync(join(buildDir, RECORD_FILE));
  while (!final() && buildLockOwner(layout.root)?.outDir === buildDir) await nap();
  return final();
}
/** The build's record (see awaitFinalFiles); undefined when its build ended without one. */
async function awaitRecord(): Promise<BuildRecord | undefined> {
  try {
    for (;;) {
      const written = readRecord(buildDir);
      if (written || buildLockOwner(layout.root)?.outDir !== buildDir) return written ?? readRecord(buildDir);
      await nap();
    }
  } finally {
    buildDirWatch?.close();
  }
}
/**
 * The manifest and the record are files made in the build dir itself: a watch on it (not
 * recursive: the pages go into client/) wakes these waits at once; the 25 ms poll stays for the
 * lock, and for file systems that do not report changes.
 */
const buildDirWatch = (() => {
  try {
    return watch(buildDir, { persistent: false });
  } catch {
    return undefined;
  }
})();
let wake: (() => void) | undefined;
buildDirWatch?.on('change', () => wake?.());
buildDirWatch?.on('error', () => undefined);
const nap = (): Promise<void> =>
  new Promise((resolve) => {
    wake = resolve;
    setTimeout(resolve, 25);
  });
async function leave(why: string): Promise<never> {
  log(`exits: ${why}`);
  await following?.abort();
  clearStarting();
  rmSync(copyDir, { recursive: true, force: true });
  process.exit(0);
}
const noRecord = `${buildDir} has no build record (its build failed, or it was not made by build-and-swap)`;
if (!(await awaitFinalFiles())) await leave(noRecord);
const startedAt = performance.now();
/**
 * Only the bundle is loaded before the record, as soon as Astro has written the build's last file
 * (its server bundle was final long before): at 1k aircraft that is while the astro process
 * exits and build-and-swap records and swaps the build (~30 ms), so the first popularity-only
 * rebuild, asked for right after a full build, waits less for it. The rest (the catalogue, the
 * spare's last pass, the warm-up) waits for the record: at 10k build-and-swap's record and swap
 * take ~1 s there, which this worker must not take the cores from.
 */
const bundle = await (async () => {
  await hardLinkTree(join(buildDir, 'server'), join(copyDir, 'server'), []);
  // The bundle reads the catalogue from the data dir as it is now (the worker's key includes the data digest).
  return loadBundle(copyDir, popularity);
})().catch((error: unknown) => leave(`cannot load ${buildDir}'s bundle (${error instanceof Error ? error.message : String(error)}); its build may have failed`));
const loaded = performance.now();
const record = (await awaitRecord()) ?? (await leave(noRecord));
const recorded = performance.now();
const key = workerKey(record);
// The spare of this build can be linked before the build goes live (nothing in it changes after
// the worker is started but the record and manifest, which a spare leaves out); on its own
// thread, while this one hands the bundle the catalogue, so the first rebuild after a full build finds it.
wantSpare(buildDir, true);
const catalogue = (await preload?.install(record.dataDigest)) ?? 'not preloaded';

/** Set once a rebuild is asked for: the warm-up leaves the rest of its work to it. */
let rebuildAsked = false;
// Import the twins' page chunks and the data layer now rather than in the first rebuild, and run the
// digests once (their first run read the data and code files cold: 0.3-0.5 s of the first rebuild at
// load ~20); nothing is saved. Not awaited before listening: a rebuild asked for meanwhile (right
// after a full build) does the same work itself. Not before this worker's own build has released the
// lock (it swaps first, then exits): run beside the swap, its renders and digests took the cores from
// the end of the full build's wall time (1k, 6 interleaved runs: +0.3-0.4 s).
const warm = (async () => {
  const left = 'the rest of the warm-up left to the first rebuild';
  while (!rebuildAsked && buildLockOwner(layout.root)?.outDir === buildDir) await nap();
  for (const route of ['/', '/popular/', '/popularity.json', ...record.slugs.slice(0, 1).map((s) => `/aircraft/${s}/`)]) {
    if (rebuildAsked) return left;
    await bundle.render([route]);
  }
  if (rebuildAsked) return left;
  const hashes = new FileHashes(join(layout.root, 'file-hashes.json'));
  dataDigest(config, hashes);
  codeDigest(config, hashes);
  if (rebuildAsked) return left;
  routesToRender(record, popularity);
  return `warmed up in ${((performance.now() - recorded) / 1000).toFixed(2)} s`;
})().catch((error: unknown) => `warming up: ${error instanceof Error ? error.message : String(error)}`);

/** The builds this worker made (worker-rebuild.ts recycles old ones into spares with it). */
const lineage = new Map<string, { from: string; files: string[] }>();
let lastUsed = Date.now();
let busy = false;
let stopping: string | undefined;
const server = createServer((conn) => {
  let text = '';
  conn.setEncoding('utf8');
  conn.on('data', (chunk: string) => {
    text += chunk;
    const end = text.indexOf('\n');
    if (end < 0) return;
    conn.pause();
    // Exits (when asked to stop meanwhile) once the answer is written.
    const reply = (answered: WorkerAnswer): void => void conn.end(`${JSON.stringify(answered)}\n`, () => stopping && !busy && exit());
    answer(JSON.parse(text.slice(0, end)) as WorkerRequest).then(reply, (error: Error) =>
      reply({ code: 1, stdout: '', stderr: `✗ the render worker failed: ${error.stack ?? error.message}; the live site is unchanged.\n` }),
    );
  });
  conn.on('error', () => undefined);
});

async function answer(request: WorkerRequest): Promise<WorkerAnswer> {
  lastUsed = Date.now();
  switch (request.op) {
    case 'hello':
      return { pid: process.pid, key };
    case 'spare':
      wantSpare(request.build);
      return { ok: true };
    case 'yield':
      // Closing the server removes the socket file before the new worker is told to listen.
      stop('a worker for a newer bundle takes over', true);
      return { ok: true };
    case 'rebuild': {
      rebuildAsked = true;
      if (stopping) return { fallback: `the worker is exiting (${stopping})` };
      busy = true;
      try {
        const reply = await rebuildInWorker(
          {
            config,
            layout,
            key,
            scripts,
            renderer: { name: 'render worker', render: (routes) => bundle.render(routes) },
            popularityFile: popularity,
            spareSettled: async (build) => {
              if (spareBuild === build) await sparing;
            },
            lineage,
            // Not at once after the answer: the spare is for the next rebuild, not this one, and
            // its links (4 libuv threads, or a recycle on this one) took the cores from the command
            // that asked while it printed the answer and exited, which is the end of its rebuild.
            spareAfterSwap: (live, recycled) => setTimeout(() => wantSpare(live, false, recycled), SPARE_AFTER_ANSWER_MS),
          },
          request,
        );
        if ('fallback' in reply && reply.fallback.startsWith('site/scripts')) stop(reply.fallback, true);
        return reply;
      } finally {
        busy = false;
        lastUsed = Date.now();
      }
    }
  }
}

/**
 * Stops listening now (closing the server removes the socket file) and exits once no rebuild is
 * running: at once, or (`answering`) after the answer to the request being served is written.
 */
function stop(why: string, answering = false): void {
  if (stopping) return;
  stopping = why;
  log(`exits: ${why}`);
  server.close();
  if (!busy && !answering) exit();
}
function exit(): void {
  rmSync(workerDir, { recursive: true, force: true });
  process.exit(0);
}
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

/**
 * Listens on the live dir's socket: removes a file nobody answers on (left by a killed worker),
 * asks a worker holding another bundle to yield, and leaves when one with this bundle serves.
 */
async function listen(): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
      server.once('error', done);
      server.listen(socket, () => {
        server.off('error', done);
        done(undefined);
      });
    });
    if (!error) return true;
    if (error.code !== 'EADDRINUSE') throw error;
    const other = await askWorker<{ pid: number; key: string }>(socket, { op: 'hello' });
    if (!other) rmSync(socket, { force: true });
    else if (other.key === key) return false;
    else await askWorker(socket, { op: 'yield' });
    await sleep(20);
  }
  return false;
}

/** The spawner's `{ pid }` note that this worker is on its way (the command waits for it). */
function clearStarting(): void {
  try {
    if ((JSON.parse(readFileSync(startingFile(layout.root), 'utf8')) as { pid: number }).pid === process.pid) rmSync(startingFile(layout.root), { force: true });
  } catch {
    // Gone already, or another spawner's.
  }
}

if (!(await listen())) {
  log(`exits: a worker for the same bundle already serves ${socket}`);
  clearStarting();
  rmSync(copyDir, { recursive: true, force: true });
  process.exit(0);
}
clearStarting();
log(`serves ${buildDir}'s bundle on ${socket} (node start and imports ${(imported / 1000).toFixed(1)} s; once its files were final, bundle linked + loaded in ${((loaded - startedAt) / 1000).toFixed(2)} s, its record came after ${((recorded - startedAt) / 1000).toFixed(2)} s; catalogue ${catalogue})`);
void warm.then(log);

/** The bundle key of a live build's record, re-parsed only when the record file changed (it is MBs at 10k aircraft). */
let known: { stamp: string; key: string | undefined } | undefined;
function keyOf(build: string): string | undefined {
  const file = join(build, 'hangar-build.json');
  let stamp: string;
  try {
    const s = statSync(file);
    stamp = `${file}:${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return undefined;
  }
  if (known?.stamp !== stamp) {
    const parsed = readRecord(build);
    known = { stamp, key: parsed && workerKey(parsed) };
  }
  return known.key;
}

// The spare of whichever build of this bundle is live now (this one, or a newer popularity-only one).
const live = currentBuild(layout.current);
if (live && keyOf(live) === key) wantSpare(live);

// Why poll: the worker is detached from whoever started it, and nothing else tells it that a
// full build replaced its bundle or that a test removed the live dir.
// A worker may start before its build is swapped live (build-and-swap-inline.ts starts it as
// soon as the bundle exists): until the build is seen live, a live build with other digests is
// the one it replaces, unless the build was removed (it failed) or never went live in time.
let seenLive = false;
const spawned = Date.now();
setInterval(() => {
  if (busy || stopping) return;
  if (Date.now() - lastUsed > config.renderWorkerIdleMs) return stop('idle');
  const now = currentBuild(layout.current);
  if (!now) return stop('the live dir is gone');
  if (keyOf(now) === key) seenLive = true;
  else if (seenLive) stop('the live build has other data or code');
  else if (!existsSync(buildDir)) stop(`its build ${buildDir} was removed before it went live`);
  else if (Date.now() - spawned > config.buildLockStaleMs) stop(`its build ${buildDir} did not go live within ${config.buildLockStaleMs / 1000} s`);
}, 1_000).unref();
