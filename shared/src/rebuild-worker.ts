/**
 * How the rebuild command (site/scripts/build-and-swap.ts) and the popularity consumer talk to the
 * site's render worker (site/scripts/render-worker.ts), which holds the live bundle loaded and
 * runs popularity-only rebuilds itself: one JSON line each way over the live dir's Unix socket.
 * Only node:net and friends: the rebuild command imports this before anything else, and its
 * process start is most of a popularity-only rebuild (node:http alone costs ~40 ms of CPU to
 * load; zod and the site's modules several hundred).
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where build-and-swap keeps the live site unless HANGAR_LIVE_DIR says otherwise (site/src/lib/config.ts's default). */
export const DEFAULT_LIVE_DIR = fileURLToPath(new URL('../../site/.live', import.meta.url));

/** The live dir `env` names (HANGAR_LIVE_DIR, relative to `cwd`), without the site config's zod parse. */
export const liveRootOf = (env: Readonly<Record<string, string | undefined>>, cwd: string): string => resolve(cwd, env.HANGAR_LIVE_DIR || DEFAULT_LIVE_DIR);

/** The variables the site config reads (site/src/lib/config.ts; its test checks this covers them): the only ones sent to the worker. */
export const SITE_ENV = /^(?:HANGAR_|ASTRO_|PUBLIC_|SITE_|BUILD_LOCK_|RENDER_WORKER_)|^POPULARITY_FILE$/;

/** The site's variables of `env`, for a rebuild request. */
export const siteEnvOf = (env: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && SITE_ENV.test(e[0])));

export type WorkerRequest =
  /** Who are you: the worker's pid and bundle key (render-worker-paths.ts `workerKey`). */
  | { op: 'hello' }
  /** Link a spare copy of `build` (spare-copy.ts) in the background. */
  | { op: 'spare'; build: string }
  /** Run a popularity-only rebuild with the site environment `env`, as build-and-swap would (`startedAfterMs`: how long the asking command took to start; absent: the consumer asked directly). */
  | { op: 'rebuild'; env: Record<string, string>; cwd: string; startedAfterMs?: number }
  /** A worker for a newer bundle takes over the socket: stop serving and exit. */
  | { op: 'yield' };

/** What the rebuild command prints and exits with, or why it must build in its own process. */
export type RebuildAnswer = { code: number; stdout: string; stderr: string } | { fallback: string };

export type WorkerAnswer = { pid: number; key: string } | RebuildAnswer | { ok: true };

/**
 * The socket of `liveRoot`'s worker. In the temp dir under a name derived from the live dir: a
 * Unix socket path is limited to about 100 bytes, and a live dir inside a deep checkout can be
 * longer than that.
 */
export const rebuildSocket = (liveRoot: string): string => join(tmpdir(), `hangar-rebuild-${createHash('sha256').update(liveRoot).digest('hex').slice(0, 16)}.sock`);

/** Written by whoever spawns a worker, removed by the worker once it listens: `{ pid, key }`. */
export const startingFile = (liveRoot: string): string => join(liveRoot, 'workers', 'starting.json');

/**
 * Sends `request` and resolves with the answer, or undefined when nobody listens on `socket`
 * (no file, a file left by a killed worker) or the worker hung up without answering.
 */
export function askWorker<A extends WorkerAnswer>(socket: string, request: WorkerRequest): Promise<A | undefined> {
  return new Promise((resolve) => {
    const conn = connect(socket);
    let text = '';
    conn.setEncoding('utf8');
    conn.once('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end < 0) return;
      conn.destroy();
      resolve(JSON.parse(text.slice(0, end)) as A);
    });
    conn.once('error', () => resolve(undefined));
    conn.once('close', () => resolve(undefined));
  });
}
