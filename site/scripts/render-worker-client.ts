/**
 * The rebuild command's side of the render worker (render-worker.ts).
 *   - rebuildThroughWorker: asks the live dir's worker to run a popularity-only rebuild, waiting
 *     for one that is still starting; undefined when none answers (the command builds itself).
 *   - ensureRenderWorker: after a swap, starts a worker for the new live bundle unless one holds
 *     it already, so the next popularity-only rebuild finds the bundle loaded.
 * Imported first by build-and-swap.ts: node built-ins and @hangarstack/shared/rebuild-worker only (the rest of
 * the scripts load zod and the site's modules, which is what a worker rebuild saves).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SITE_DIR } from './live-dir.ts';
import { askWorker, liveRootOf, rebuildSocket, siteEnvOf, startingFile, type RebuildAnswer } from '@hangarstack/shared/rebuild-worker';

/**
 * The render worker's nice value (POSIX `nice`, for the process and every thread it starts). It is
 * background work: a full build starts it beside itself (its imports, the catalogue, the spare copy
 * and its bundle are ready for the first popularity-only rebuild), and later it should yield to the
 * collector and consumer, which take the visitors' beacons.
 *
 * Where the kernel's autogroup scheduling is on (`/proc/sys/kernel/sched_autogroup_enabled`: on
 * here, and by default on many distributions), that is not what happens: nice ranks threads only
 * within their session's group, and the worker, detached into a session of its own, is a group of
 * its own, which shares the cores with the build's (or the collector's) group as an equal. Its
 * group's nice (`/proc/<pid>/autogroup`) would make it background work; set to 19 beside a full
 * build and 10 after, it changed nothing measurable (1k, `build-and-swap --full` then a
 * popularity-only rebuild, 5 interleaved pairs: full 4.17 / 4.45 s, the rebuild 0.29 / 0.35 s): the
 * worker mostly takes what the build leaves idle (the 6.02 -> 5.61 s measured for nice 10 in
 * session 30, 4 pairs, cannot have come from the nice value on this machine). Left so: under load,
 * a niced group would also slow the rebuilds that keep the site fresh (site/BUILD-PERFORMANCE.md,
 * "Nineteenth round").
 */
export const RENDER_WORKER_NICE = 10;

/** How long a command waits for a worker that is still loading its bundle (the in-process path takes about as long). */
const STARTING_WAIT_MS = 60_000;

/** The worker being started for `liveRoot`, while that process lives. */
function startingWorker(liveRoot: string): { pid: number; key: string } | undefined {
  try {
    const starting = JSON.parse(readFileSync(startingFile(liveRoot), 'utf8')) as { pid: number; key: string };
    process.kill(starting.pid, 0);
    return starting;
  } catch {
    return undefined;
  }
}

/** Asks the live dir's worker to run the rebuild (worker-rebuild.ts); undefined: no worker answered. */
export async function rebuildThroughWorker(env: NodeJS.ProcessEnv, cwd: string): Promise<RebuildAnswer | undefined> {
  const liveRoot = liveRootOf(env, cwd);
  const socket = rebuildSocket(liveRoot);
  const deadline = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    // Right after a full build its worker is still loading the bundle: worth waiting for. Not
    // while a build holds the lock (build-lock.ts's lock directory): that worker waits for the
    // build, and the command is told to try later either way. Looked at before asking: the
    // worker removes the note once it listens, so no note then and no answer now means no worker.
    const starting = startingWorker(liveRoot) !== undefined && !existsSync(join(liveRoot, 'build-lock'));
    const answer = await askWorker<RebuildAnswer>(socket, { op: 'rebuild', env: siteEnvOf(env), cwd, startedAfterMs: performance.now() });
    if (answer || !starting || Date.now() > deadline) return answer;
    // A refused connection costs next to nothing: ask often, the rebuild waits on the answer.
    await sleep(10);
  }
}

/**
 * Starts a detached worker for `buildDir`'s bundle (`key`: workerKey of its record) unless the
 * live dir's worker holds that bundle already or one for it is starting; either way the worker
 * then links a spare copy of the live build (once `buildDir` is live). The worker outlives this process and stops by itself (render-worker.ts); its
 * output goes to `worker.log` in `workerDir`; `compileCache`: the compile cache directory it uses (compile-cache.ts).
 */
export async function ensureRenderWorker(liveRoot: string, buildDir: string, key: string, workerDir: string, compileCache?: string): Promise<void> {
  // A worker for this bundle on its way (started before the swap) links the spare once it listens.
  if (startingWorker(liveRoot)?.key === key) return;
  const socket = rebuildSocket(liveRoot);
  const serving = await askWorker<{ pid: number; key: string }>(socket, { op: 'hello' });
  if (serving?.key === key) {
    await askWorker(socket, { op: 'spare', build: buildDir });
    return;
  }
  mkdirSync(workerDir, { recursive: true });
  const log = openSync(join(workerDir, 'worker.log'), 'a');
  // The build's compile cache (compile-cache.ts), from the worker's first import: it starts beside a
  // full build, and compiling its modules afresh cost ~0.2 s of CPU each time (1k, 3 pairs).
  const env = compileCache === undefined ? process.env : { ...process.env, NODE_COMPILE_CACHE: compileCache };
  const child = spawn('nice', ['-n', String(RENDER_WORKER_NICE), process.execPath, join(SITE_DIR, 'scripts', 'render-worker.ts'), buildDir, workerDir], { detached: true, stdio: ['ignore', log, log], env });
  child.unref();
  // Commands that start meanwhile wait for it rather than load the bundle themselves.
  writeFileSync(startingFile(liveRoot), JSON.stringify({ pid: child.pid, key }));
}
