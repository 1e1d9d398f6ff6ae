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

let cached: ReturnType<typeof readPopularity> | undefined;

/** The build's popularity snapshot, from `POPULARITY_FILE` (the site config). */
export function buildPopularity(): ReturnType<typeof readPopularity> {
  cached ??= readPopularity(siteConfig().popularityFile);
  return cached;
}
