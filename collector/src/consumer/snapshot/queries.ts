import type { SearchQueryStat } from '@hangarstack/shared';
import type { PartitionState } from '../partition-state.ts';
import type { SearchReport } from './search-report.ts';

/** How many queries the popularity JSON and the search report list at most. */
export const TOP_QUERIES = 50;

export interface QueryTotals {
  searches: number;
  clicks: number;
  zeroResults: number;
  visitors: Set<string>;
  zeroVisitors: Set<string>;
}

/** Every query's totals over the hour buckets `keep` accepts, merged across partitions. */
export function queryTotals(states: readonly PartitionState[], keep: (hour: number) => boolean): Map<string, QueryTotals> {
  const merged = new Map<string, QueryTotals>();
  for (const state of states) {
    for (const [query, buckets] of state.queries) {
      const q = merged.get(query) ?? { searches: 0, clicks: 0, zeroResults: 0, visitors: new Set<string>(), zeroVisitors: new Set<string>() };
      merged.set(query, q);
      for (const [hour, b] of buckets) {
        if (!keep(hour)) continue;
        q.searches += b.searches;
        q.clicks += b.clicks;
        q.zeroResults += b.zeroResults;
        for (const v of b.visitors) q.visitors.add(v);
        if (b.zeroResults > 0) for (const v of b.visitors) q.zeroVisitors.add(v);
      }
    }
  }
  return merged;
}

/** The published top searches: only queries at least `kAnonymity` distinct visitors searched. */
export function topQueries(totals: ReadonlyMap<string, QueryTotals>, kAnonymity: number): SearchQueryStat[] {
  return [...totals]
    .filter(([, q]) => q.visitors.size >= kAnonymity && q.searches + q.clicks > 0)
    .sort(([qa, a], [qb, b]) => b.visitors.size - a.visitors.size || b.searches - a.searches || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q]) => ({
      query,
      searches: q.searches,
      visitors: q.visitors.size,
      clickThrough: q.searches === 0 ? 1 : Math.min(1, Math.round((q.clicks / q.searches) * 1000) / 1000),
    }));
}

/** Queries that found nothing (content gaps) for the ops report, under the same k-anonymity floor. */
export function zeroResultQueries(totals: ReadonlyMap<string, QueryTotals>, kAnonymity: number): SearchReport['zeroResults'] {
  return [...totals]
    .filter(([, q]) => q.zeroResults > 0 && q.zeroVisitors.size >= kAnonymity)
    .sort(([qa, a], [qb, b]) => b.zeroVisitors.size - a.zeroVisitors.size || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q]) => ({ query, searches: q.zeroResults, visitors: q.zeroVisitors.size }));
}
