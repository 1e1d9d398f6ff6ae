import type { FilterReport } from './filters.ts';

/** The ops search report, written beside the popularity JSON and never published on the site. */
export interface SearchReport {
  schema: 1;
  generatedAt: string;
  asOf: number;
  kAnonymity: number;
  /** Queries that found nothing (content gaps), above the k-anonymity floor. */
  zeroResults: { query: string; searches: number; visitors: number }[];
  /** Other sites that sent visits in the last 7 days, from at least k distinct origins (user activity). */
  referrers: { host: string; visits: number; origins: number }[];
  /** Pages visits opened on in the last 7 days (`home`, `aircraft/<slug>`, …), from at least k distinct origins. */
  entryPages: { page: string; visits: number; origins: number }[];
  /** Facet filter combinations searched with (last 30 days, like the queries), from at least k distinct origins. */
  filterCombinations: FilterReport['filterCombinations'];
  /** Per filter value, typed queries that found nothing with it applied (last 30 days), each from at least k distinct origins. */
  zeroResultsByFilter: FilterReport['zeroResultsByFilter'];
}
