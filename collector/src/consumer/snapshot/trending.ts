import type { AircraftPopularity } from '@hangarstack/shared';

/** Additive smoothing for trending: a handful of visitors cannot make a spike. */
export const TRENDING_PRIOR = 2;

/**
 * Today's distinct visitors against the mean of the six days before, smoothed:
 * `(today + prior) / (baseline + prior) - 1`, rounded to 3 decimals; 0 means no change.
 */
export function trendingScore(dailyVisitors: readonly number[]): number {
  const [today = 0, ...before] = dailyVisitors;
  const baseline = before.length === 0 ? 0 : before.reduce((sum, n) => sum + n, 0) / before.length;
  return Math.round(((today + TRENDING_PRIOR) / (baseline + TRENDING_PRIOR) - 1) * 1000) / 1000;
}

/**
 * Sets each aircraft's trending score and returns the trending list: aircraft rising with at least
 * two visitors in the last 24 hours, steepest first (ties: visitors, then slug).
 */
export function trendingList(aircraft: ReadonlyMap<string, AircraftPopularity>, dailyVisitors: ReadonlyMap<string, readonly number[]>): string[] {
  for (const [slug, days] of dailyVisitors) {
    const entry = aircraft.get(slug);
    if (entry) entry.trending = trendingScore(days);
  }
  return [...aircraft]
    .filter(([, a]) => a.trending > 0 && a.visitors.h24 >= 2)
    .sort(([sa, a], [sb, b]) => b.trending - a.trending || b.visitors.h24 - a.visitors.h24 || sa.localeCompare(sb))
    .map(([slug]) => slug);
}
