import type { AircraftPopularity } from '@hangarstack/shared';

/**
 * Ranks aircraft by distinct (origin-capped) visitors over 7 days (ties: visitors over 30 days,
 * then slug, so the order is total and every member computes the same one), sets each entry's
 * `rank`, and returns the ranked slugs: the "Popular now" list. Views never break a tie: they are
 * not capped, so one client could buy them.
 */
export function rankByVisitors(aircraft: ReadonlyMap<string, AircraftPopularity>): string[] {
  const ranked = [...aircraft]
    .filter(([, a]) => a.visitors.d7 > 0)
    .sort(([sa, a], [sb, b]) => b.visitors.d7 - a.visitors.d7 || b.visitors.d30 - a.visitors.d30 || sa.localeCompare(sb));
  ranked.forEach(([, a], i) => (a.rank = i + 1));
  return ranked.map(([slug]) => slug);
}
