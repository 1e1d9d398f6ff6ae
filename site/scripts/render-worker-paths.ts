import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildRecord } from './build-record.ts';

/**
 * Which bundle a render worker holds: the data and code digests of the build it loaded. Any
 * later popularity-only build has the same digests (its server/ is the same hard-linked files).
 */
export const workerKey = (record: Pick<BuildRecord, 'dataDigest' | 'codeDigest'>): string =>
  createHash('sha256').update(`${record.dataDigest}\0${record.codeDigest}`).digest('hex').slice(0, 16);

/** The worker directory for `key` under a live dir (inside site/, so the bundle's bare imports resolve). */
export const workerDir = (liveRoot: string, key: string): string => join(liveRoot, 'workers', key);

/**
 * The files of the worker in `dir`. The socket lives in the temp dir under a name derived from
 * `dir`: a Unix socket path is limited to about 100 bytes, and a live dir inside a deep checkout
 * can be longer than that.
 */
export function workerPaths(dir: string): { socket: string; popularity: string } {
  const name = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return { socket: join(tmpdir(), `hangar-render-${name}.sock`), popularity: join(dir, 'popularity.json') };
}

/** The worker's own request (outside Astro's routes): make the spare copy of `?build=`. */
export const SPARE_PATH = '/hangar-worker/spare';
