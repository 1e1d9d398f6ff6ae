import { POPULARITY_SCHEMA_VERSION, popularitySchema, type Popularity } from '@hangarstack/shared';
import type { PartitionState } from '../state/partition-state.ts';
import type { ClosedDays } from './closed-days.ts';
import type { Catalogue } from '../catalogue.ts';
import { activityTotals } from './activity.ts';
import { alsoViewedLists } from './co-views.ts';
import { popularFacets } from './facets.ts';
import { filterReport } from './filters.ts';
import { queryTotals, topQueries, zeroResultQueries } from './queries.ts';
import { rankByVisitors } from './ranking.ts';
import type { SearchReport } from './search-report.ts';
import { trendingList } from './trending.ts';
import { WINDOWS, aircraftWindows, asOfHourOf, inWindow } from './windows.ts';

/**
 * Merges every partition's state into the popularity snapshot and the ops search report.
 * Deterministic: the same states give the same snapshot (but for `generatedAt`), however the
 * partitions were spread across consumer-group members, because windows end at the newest event
 * time (`asOf`), not the clock.
 */
export function buildSnapshot(
  states: readonly PartitionState[],
  options: { kAnonymity: number; maxVisitorsPerOrigin: number; kind: 'kafka' | 'embedded'; generatedAt: Date; catalogue?: Catalogue; closedDays?: ClosedDays },
): { popularity: Popularity; report: SearchReport } {
  const asOf = Math.max(0, ...states.map((s) => s.watermark));
  const asOfHour = asOfHourOf(asOf);

  const { aircraft, dailyVisitors } = aircraftWindows(states, asOfHour, options.closedDays);
  const popular = rankByVisitors(aircraft);
  const trending = trendingList(aircraft, dailyVisitors, options.maxVisitorsPerOrigin);
  const last30Days = (hour: number) => inWindow(asOfHour, hour, WINDOWS.d30);
  const queries = queryTotals(states, last30Days);

  const generatedAt = options.generatedAt.toISOString();
  const popularity = popularitySchema.parse({
    schema: POPULARITY_SCHEMA_VERSION,
    generatedAt,
    asOf,
    aircraft: Object.fromEntries([...aircraft].sort(([a], [b]) => a.localeCompare(b))),
    popular,
    trending,
    searches: { kAnonymity: options.kAnonymity, top: topQueries(queries, options.kAnonymity) },
    facets: popularFacets(states, asOfHour, options.catalogue ?? new Map(), options.kAnonymity),
    alsoViewed: alsoViewedLists(states, asOfHour, options.kAnonymity),
    source: { kind: options.kind, offsets: Object.fromEntries(states.map((s) => [s.key, s.nextOffset]).sort(([a], [b]) => String(a).localeCompare(String(b)))) },
  });
  const report: SearchReport = {
    schema: 1,
    generatedAt,
    asOf,
    kAnonymity: options.kAnonymity,
    zeroResults: zeroResultQueries(queries, options.kAnonymity),
    ...activityTotals(states, asOfHour, options.kAnonymity),
    ...filterReport(states, last30Days, options.kAnonymity),
  };
  return { popularity, report };
}
