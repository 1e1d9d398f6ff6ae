import { statSync } from 'node:fs';
import { emptyPopularity, type Popularity } from '@hangarstack/shared';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { siteConfig } from './config.ts';

/** What the pages show when the consumer has not published anything yet. */
export const NEUTRAL_POPULARITY: Popularity = emptyPopularity();

/**
 * Reads the popularity snapshot once per build. An absent file is normal (a fresh checkout)
 * and gives neutral lists; a present but invalid file fails the build (the shared reader names
 * the file and field), because publishing made-up numbers is worse than not publishing.
 */
export function readPopularity(file: string): { popularity: Popularity; present: boolean } {
  const popularity = readPopularityFile(file);
  return popularity ? { popularity, present: true } : { popularity: NEUTRAL_POPULARITY, present: false };
}

let cached: { version: string; read: ReturnType<typeof readPopularity> } | undefined;

/** Which file is at `path` now: a snapshot renamed into place is a new inode. */
function fileVersion(path: string): string {
  const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stats ? `${stats.ino}:${stats.mtimeNs}:${stats.size}` : 'absent';
}

/**
 * The build's popularity snapshot, from `POPULARITY_FILE` (the site config), read again only
 * when the file changed: a build reads its private copy once, and the long-lived render worker
 * (scripts/render-worker.ts) gets each rebuild's snapshot renamed into the same path.
 */
export function buildPopularity(): ReturnType<typeof readPopularity> {
  const file = siteConfig().popularityFile;
  const version = fileVersion(file);
  if (cached?.version !== version) cached = { version, read: readPopularity(file) };
  return cached.read;
}
