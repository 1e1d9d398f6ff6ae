/**
 * The rebuild command's side of the render worker (render-worker.ts).
 *   - rebuildThroughWorker: asks the live dir's worker to run a popularity-only rebuild, waiting
 *     for one that is still starting; undefined when none answers (the command builds itself).
 *   - ensureRenderWorker: after a swap, starts a worker for the new live bundle unless one holds
 *     it already, so the next popularity-only rebuild finds the bundle loaded.
 * Imported first by build-and-swap.ts: node built-ins and worker-protocol.ts only (the rest of
 * the scripts load zod and the site's modules, which is what a worker rebuild saves).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SITE_DIR } from './live-dir.ts';
import { askWorker, rebuildSocket, startingFile, type RebuildAnswer } from './worker-protocol.ts';

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

/**
 * The live dir the command's environment names. The same rule as site/src/lib/config.ts
 * (HANGAR_LIVE_DIR, default site/.live), without its zod parse: the worker parses the command's
 * environment with it and hands the rebuild back when any setting differs from its own.
 */
const liveRootOf = (env: NodeJS.ProcessEnv, cwd: string): string => resolve(cwd, env.HANGAR_LIVE_DIR || join(SITE_DIR, '.live'));

/** The variables site/src/lib/config.ts reads (its test checks this covers them), the only ones sent to the worker. */
export const SITE_ENV = /^(?:HANGAR_|ASTRO_|PUBLIC_|SITE_|BUILD_LOCK_|RENDER_WORKER_)|^POPULARITY_FILE$/;

/** Asks the live dir's worker to run the rebuild (worker-rebuild.ts); undefined: no worker answered. */
export async function rebuildThroughWorker(env: NodeJS.ProcessEnv, cwd: string): Promise<RebuildAnswer | undefined> {
  const liveRoot = liveRootOf(env, cwd);
  const socket = rebuildSocket(liveRoot);
  const sent = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && SITE_ENV.test(e[0])));
  const deadline = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    const answer = await askWorker<RebuildAnswer>(socket, { op: 'rebuild', env: sent, cwd, startedAfterMs: performance.now() });
    if (answer) return answer;
    // Right after a full build its worker is still loading the bundle: worth waiting for. Not
    // while a build holds the lock (build-lock.ts's lock directory): that worker waits for the
    // build, and the command is told to try later either way.
    if (Date.now() > deadline || startingWorker(liveRoot) === undefined || existsSync(join(liveRoot, 'build-lock'))) return undefined;
    await sleep(25);
  }
}

/**
 * Starts a detached worker for `buildDir`'s bundle (`key`: workerKey of its record) unless the
 * live dir's worker holds that bundle already or one for it is starting; either way the worker
 * then links a spare copy of the live build (once `buildDir` is live). The worker outlives this process and stops by itself (render-worker.ts); its
 * output goes to `worker.log` in `workerDir`.
 */
export async function ensureRenderWorker(liveRoot: string, buildDir: string, key: string, workerDir: string): Promise<void> {
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
  const child = spawn(process.execPath, [join(SITE_DIR, 'scripts', 'render-worker.ts'), buildDir, workerDir], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  // Commands that start meanwhile wait for it rather than load the bundle themselves.
  writeFileSync(startingFile(liveRoot), JSON.stringify({ pid: child.pid, key }));
}
