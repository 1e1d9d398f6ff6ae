import type { SearchQueryStat } from '@hangarstack/shared';
import type { PartitionState } from '../state/partition-state.ts';
import { Sketch } from '../state/sketch.ts';
import type { SearchReport } from './search-report.ts';

/** How many queries the popularity JSON and the search report list at most. */
export const TOP_QUERIES = 50;

export interface QueryTotals {
  searches: number;
  clicks: number;
  zeroResults: number;
  visitors: Sketch;
  zeroVisitors: Sketch;
}

/** Every query's totals over the hour buckets `keep` accepts, merged across partitions. */
export function queryTotals(states: readonly PartitionState[], keep: (hour: number) => boolean): Map<string, QueryTotals> {
  const merged = new Map<string, QueryTotals>();
  for (const state of states) {
    for (const [hour, queries] of state.queries) {
      if (!keep(hour)) continue;
      for (const [query, b] of queries) {
        let q = merged.get(query);
        if (!q) merged.set(query, (q = { searches: 0, clicks: 0, zeroResults: 0, visitors: new Sketch(), zeroVisitors: new Sketch() }));
        q.searches += b.searches;
        q.clicks += b.clicks;
        q.zeroResults += b.zeroResults;
        q.visitors.merge(b.visitors);
        q.zeroVisitors.merge(b.zeroVisitors);
      }
    }
  }
  return merged;
}

/** The published top searches: only queries at least `kAnonymity` distinct visitors searched. */
export function topQueries(totals: ReadonlyMap<string, QueryTotals>, kAnonymity: number): SearchQueryStat[] {
  return [...totals]
    .map(([query, q]) => [query, q, q.visitors.count()] as const)
    .filter(([, q, visitors]) => visitors >= kAnonymity && q.searches + q.clicks > 0)
    .sort(([qa, a, va], [qb, b, vb]) => vb - va || b.searches - a.searches || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q, visitors]) => ({
      query,
      searches: q.searches,
      visitors,
      clickThrough: q.searches === 0 ? 1 : Math.min(1, Math.round((q.clicks / q.searches) * 1000) / 1000),
    }));
}

/** Queries that found nothing (content gaps) for the ops report, under the same k-anonymity floor. */
export function zeroResultQueries(totals: ReadonlyMap<string, QueryTotals>, kAnonymity: number): SearchReport['zeroResults'] {
  return [...totals]
    .map(([query, q]) => [query, q, q.zeroVisitors.count()] as const)
    .filter(([, q, visitors]) => q.zeroResults > 0 && visitors >= kAnonymity)
    .sort(([qa, , a], [qb, , b]) => b - a || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q, visitors]) => ({ query, searches: q.zeroResults, visitors }));
}
