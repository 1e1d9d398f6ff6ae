import { SEARCH_FACETS, parseFilterKey, type SearchFacet, type SearchFilters } from '@hangarstack/shared';
import type { PartitionState } from '../state/partition-state.ts';
import { Sketch } from '../state/sketch.ts';
import { meetsKAnonymity } from './k-anonymity.ts';
import { looksLikePersonalData } from './personal-data.ts';
import { TOP_QUERIES } from './queries.ts';

export interface FilterReport {
  /** Filter combinations searched with, each from at least k distinct origins; most origins first. */
  filterCombinations: { filters: SearchFilters; searches: number; zeroResults: number; origins: number }[];
  /** Per filter value, the typed queries that found nothing with it applied, each from at least k distinct origins. */
  zeroResultsByFilter: { facet: SearchFacet; value: string; queries: { query: string; searches: number; origins: number }[] }[];
}

/** How many combinations and filter values the report keeps. */
const LIMIT = 50;

/**
 * Search filter usage for the ops report over the hour buckets `keep` accepts. Searches are keyed
 * by query, so one combination's searches are spread over partitions: their origin sketches are
 * merged (an origin seen in two partitions counts once). The floor is the query report's: an item
 * is listed only when `k` distinct origins (client networks) produced it, and a zero-result query
 * that looks like personal data never is.
 */
export function filterReport(states: readonly PartitionState[], keep: (hour: number) => boolean, k: number): FilterReport {
  const merged = new Map<string, { searches: number; zeroResults: number; origins: Sketch }>();
  for (const state of states) {
    for (const [hour, items] of state.filters) {
      if (!keep(hour)) continue;
      for (const [item, bucket] of items) {
        let total = merged.get(item);
        if (!total) merged.set(item, (total = { searches: 0, zeroResults: 0, origins: new Sketch() }));
        total.searches += bucket.searches;
        total.zeroResults += bucket.zeroResults;
        total.origins.merge(bucket.origins);
      }
    }
  }
  const counted = [...merged]
    .map(([item, t]) => ({ item, searches: t.searches, zeroResults: t.zeroResults, origins: t.origins.count() }))
    .filter((t) => meetsKAnonymity(t.origins, k))
    .sort((a, b) => b.origins - a.origins || b.searches - a.searches || a.item.localeCompare(b.item));

  const filterCombinations = counted
    .filter((t) => t.item.startsWith('combo:'))
    .slice(0, LIMIT)
    .map(({ item, searches, zeroResults, origins }) => ({ filters: parseFilterKey(item.slice('combo:'.length)), searches, zeroResults, origins }));

  const byFilter = new Map<string, FilterReport['zeroResultsByFilter'][number]>();
  for (const t of counted) {
    if (!t.item.startsWith('zero:')) continue;
    const [filter = '', query = ''] = t.item.slice('zero:'.length).split('\n');
    if (looksLikePersonalData(query)) continue;
    const [facet = '', value = ''] = filter.split('=');
    if (!(SEARCH_FACETS as readonly string[]).includes(facet)) continue;
    let entry = byFilter.get(filter);
    if (!entry) byFilter.set(filter, (entry = { facet: facet as SearchFacet, value, queries: [] }));
    if (entry.queries.length < TOP_QUERIES) entry.queries.push({ query, searches: t.searches, origins: t.origins });
  }
  const zeroResultsByFilter = [...byFilter.values()]
    .sort((a, b) => SEARCH_FACETS.indexOf(a.facet) - SEARCH_FACETS.indexOf(b.facet) || a.value.localeCompare(b.value))
    .slice(0, LIMIT);
  return { filterCombinations, zeroResultsByFilter };
}
