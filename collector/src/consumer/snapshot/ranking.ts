import type { AircraftPopularity } from '@hangarstack/shared';

/**
 * Ranks aircraft by distinct visitors over 7 days (ties: views over 7 days, then slug, so the order
 * is total and every member computes the same one), sets each entry's `rank`, and returns the
 * ranked slugs: the "Popular now" list.
 */
export function rankByVisitors(aircraft: ReadonlyMap<string, AircraftPopularity>): string[] {
  const ranked = [...aircraft]
    .filter(([, a]) => a.visitors.d7 > 0)
    .sort(([sa, a], [sb, b]) => b.visitors.d7 - a.visitors.d7 || b.views.d7 - a.views.d7 || sa.localeCompare(sb));
  ranked.forEach(([, a], i) => (a.rank = i + 1));
  return ranked.map(([slug]) => slug);
}
