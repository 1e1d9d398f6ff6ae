/**
 * build-and-swap's side of the render worker (render-worker.ts): renders routes through the
 * worker that holds the live build's bundle when one is listening, and starts one after a swap
 * when none is, so the next popularity-only rebuild finds the bundle loaded.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { BuildRecord } from './build-record.ts';
import { RENDER_PREFIX } from '../src/lib/render-route.ts';
import { SITE_DIR } from './live-dir.ts';
import { SPARE_PATH, workerDir, workerKey, workerPaths } from './render-worker-paths.ts';

/** True when something accepts connections on `socket`. */
const listening = (socket: string): Promise<boolean> =>
  new Promise((resolve) => {
    if (!existsSync(socket)) return resolve(false);
    const probe = connect(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });

/** One GET over a Unix socket. */
export function getOverSocket(socket: string, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, headers: { host: 'localhost' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

/**
 * Renders `routes` with the worker for `live`'s bundle and the snapshot in `popularityFile`, or
 * returns undefined when no worker answers (the caller renders in-process). Throws listing the
 * routes that did not answer 200. The caller holds the build lock: nobody else changes the
 * worker's popularity file meanwhile.
 */
export async function renderThroughWorker(liveRoot: string, live: BuildRecord, routes: readonly string[], popularityFile: string): Promise<Map<string, Buffer> | undefined> {
  const dir = workerDir(liveRoot, workerKey(live));
  const { socket, popularity } = workerPaths(dir);
  if (!(await listening(socket))) return undefined;
  // A new inode in one rename: the bundle re-reads popularity when the file changed.
  if (existsSync(popularityFile)) {
    copyFileSync(popularityFile, `${popularity}.tmp`);
    renameSync(`${popularity}.tmp`, popularity);
  } else rmSync(popularity, { force: true });
  const pages = new Map<string, Buffer>();
  const failures: string[] = [];
  try {
    for (const route of routes) {
      const { status, body } = await getOverSocket(socket, `${RENDER_PREFIX}${route}`);
      if (status === 200) pages.set(route, body);
      else failures.push(`${route}: ${status} ${body.toString('utf8').slice(0, 300)}`);
    }
  } catch (error) {
    // The worker went away mid-render (it exits when idle): render in-process instead.
    console.error(`the render worker stopped answering (${(error as Error).message}); rendering in-process`);
    return undefined;
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${routes.length} routes did not render through the live build's server bundle (render worker):\n${failures.join('\n')}`);
  return pages;
}

/**
 * Starts a detached worker for `buildDir`'s bundle unless one for the same digests is already
 * listening; either way the worker then links a spare copy of `buildDir` (spare-copy.ts). It outlives this process and stops by itself (render-worker.ts); its output goes to
 * `worker.log` in its directory.
 */
export async function ensureRenderWorker(liveRoot: string, buildDir: string, record: BuildRecord): Promise<void> {
  const dir = workerDir(liveRoot, workerKey(record));
  const { socket } = workerPaths(dir);
  if (await listening(socket)) {
    // The worker links the spare copy the next popularity-only rebuild starts from.
    await getOverSocket(socket, `${SPARE_PATH}?build=${encodeURIComponent(buildDir)}`).catch(() => undefined);
    return;
  }
  // A socket file nobody answers on was left by a killed worker.
  if (existsSync(socket)) unlinkSync(socket);
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(dir, 'worker.log'), 'a');
  spawn(process.execPath, [join(SITE_DIR, 'scripts', 'render-worker.ts'), buildDir, dir], { detached: true, stdio: ['ignore', log, log] }).unref();
}
