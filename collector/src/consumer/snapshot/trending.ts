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
 * Sets each aircraft's trending score and returns the trending list: aircraft rising with more
 * visitors in the last 24 hours than one origin may bring (`maxVisitorsPerOrigin`, and at least
 * two), steepest first (ties: visitors, then slug). So one client alone never makes a trend.
 */
export function trendingList(
  aircraft: ReadonlyMap<string, AircraftPopularity>,
  dailyVisitors: ReadonlyMap<string, readonly number[]>,
  maxVisitorsPerOrigin: number,
): string[] {
  const minVisitors = Number.isFinite(maxVisitorsPerOrigin) ? Math.max(2, maxVisitorsPerOrigin + 1) : 2;
  for (const [slug, days] of dailyVisitors) {
    const entry = aircraft.get(slug);
    if (entry) entry.trending = trendingScore(days);
  }
  return [...aircraft]
    .filter(([, a]) => a.trending > 0 && a.visitors.h24 >= minVisitors)
    .sort(([sa, a], [sb, b]) => b.trending - a.trending || b.visitors.h24 - a.visitors.h24 || sa.localeCompare(sb))
    .map(([slug]) => slug);
}
