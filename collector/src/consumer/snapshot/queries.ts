import type { SearchQueryStat } from '@hangarstack/shared';
import type { PartitionState, QueryBucket } from '../state/partition-state.ts';
import { Sketch } from '../state/sketch.ts';
import { meetsKAnonymity } from './k-anonymity.ts';
import { looksLikePersonalData } from './personal-data.ts';
import type { SearchReport } from './search-report.ts';

/** How many queries the popularity JSON and the search report list at most. */
export const TOP_QUERIES = 50;

/** A query's totals over a window have the shape of one hour's bucket (merged, not summed twice). */
export type QueryTotals = QueryBucket;

/** Every query's totals over the hour buckets `keep` accepts, merged across partitions. */
export function queryTotals(states: readonly PartitionState[], keep: (hour: number) => boolean): Map<string, QueryTotals> {
  const merged = new Map<string, QueryTotals>();
  for (const state of states) {
    for (const [hour, queries] of state.queries) {
      if (!keep(hour)) continue;
      for (const [query, b] of queries) {
        let q = merged.get(query);
        if (!q) {
          q = { searches: 0, clicks: 0, zeroResults: 0, visitors: new Sketch(), zeroVisitors: new Sketch(), origins: new Sketch(), zeroOrigins: new Sketch() };
          merged.set(query, q);
        }
        q.searches += b.searches;
        q.clicks += b.clicks;
        q.zeroResults += b.zeroResults;
        q.visitors.merge(b.visitors);
        q.zeroVisitors.merge(b.zeroVisitors);
        q.origins.merge(b.origins);
        q.zeroOrigins.merge(b.zeroOrigins);
      }
    }
  }
  return merged;
}

/**
 * The published top searches: only queries at least `kAnonymity` distinct origins searched
 * (k-anonymity.ts), never one that looks like personal data (personal-data.ts); ordered by
 * origins, so many user agents of one network cannot lift a query either.
 */
export function topQueries(totals: ReadonlyMap<string, QueryTotals>, kAnonymity: number): SearchQueryStat[] {
  return [...totals]
    .map(([query, q]) => [query, q, q.visitors.count(), q.origins.count()] as const)
    .filter(([query, q, , origins]) => meetsKAnonymity(origins, kAnonymity) && q.searches + q.clicks > 0 && !looksLikePersonalData(query))
    .sort(([qa, a, va, oa], [qb, b, vb, ob]) => ob - oa || vb - va || b.searches - a.searches || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q, visitors]) => ({
      query,
      searches: q.searches,
      visitors,
      clickThrough: q.searches === 0 ? 1 : Math.min(1, Math.round((q.clicks / q.searches) * 1000) / 1000),
    }));
}

/** Queries that found nothing (content gaps) for the ops report, under the same floor and filter. */
export function zeroResultQueries(totals: ReadonlyMap<string, QueryTotals>, kAnonymity: number): SearchReport['zeroResults'] {
  return [...totals]
    .map(([query, q]) => [query, q, q.zeroVisitors.count(), q.zeroOrigins.count()] as const)
    .filter(([query, q, , origins]) => q.zeroResults > 0 && meetsKAnonymity(origins, kAnonymity) && !looksLikePersonalData(query))
    .sort(([qa, , va, oa], [qb, , vb, ob]) => ob - oa || vb - va || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q, visitors]) => ({ query, searches: q.zeroResults, visitors }));
}
