/**
 * How build-and-swap talks to the render worker (render-worker.ts): one JSON line each way over
 * the live dir's Unix socket. Only node:net and friends: the rebuild command imports this before
 * anything else, and its process start is most of a popularity-only rebuild (node:http alone
 * costs ~40 ms of CPU to load; zod and the site's modules several hundred).
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type WorkerRequest =
  /** Who are you: the worker's pid and bundle key (render-worker-paths.ts `workerKey`). */
  | { op: 'hello' }
  /** Link a spare copy of `build` (spare-copy.ts) in the background. */
  | { op: 'spare'; build: string }
  /** Run a popularity-only rebuild with the command's site environment, as build-and-swap would. */
  | { op: 'rebuild'; env: Record<string, string>; cwd: string; startedAfterMs: number }
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
