import { createHash } from 'node:crypto';
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

/** The popularity file the worker in `dir` renders with (a copy of the one each request names). */
export const workerPopularity = (dir: string): string => join(dir, 'popularity.json');
