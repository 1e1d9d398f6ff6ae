import { existsSync, readFileSync } from 'node:fs';
import { emptyPopularity, popularitySchema, type Popularity } from '@hangarstack/shared';

/** What the pages show when the consumer has not published anything yet. */
export const NEUTRAL_POPULARITY: Popularity = emptyPopularity();

/**
 * Reads the popularity snapshot once per build. An absent file is normal (a fresh checkout)
 * and gives neutral lists; a present but invalid file fails the build, because publishing
 * made-up numbers is worse than not publishing.
 */
export function readPopularity(file: string): { popularity: Popularity; present: boolean } {
  if (!existsSync(file)) return { popularity: NEUTRAL_POPULARITY, present: false };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`POPULARITY_FILE ${file} is not valid JSON (${(error as Error).message}); fix or delete it and rebuild.`, { cause: error });
  }
  const parsed = popularitySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`POPULARITY_FILE ${file} does not match the popularity schema; fix or delete it and rebuild:\n${issues}`);
  }
  return { popularity: parsed.data, present: true };
}

let cached: ReturnType<typeof readPopularity> | undefined;

/** The build's popularity snapshot, from `POPULARITY_FILE` (resolved in astro.config.ts). */
export function buildPopularity(): ReturnType<typeof readPopularity> {
  cached ??= readPopularity(process.env.POPULARITY_FILE ?? '.data/popularity.json');
  return cached;
}
