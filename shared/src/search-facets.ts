/**
 * The search page's facets and the filter values a search may carry, shared by the page (which
 * keeps them in its URL), the beacon contract (events.ts) and the consumer's filter report.
 * No zod here: the search page's script imports this module, and its bundle must stay small.
 */

/** The facets, in the order the search page shows them; the only filter names an event may carry. */
export const SEARCH_FACETS = ['role', 'era', 'country', 'manufacturer'] as const;
export type SearchFacet = (typeof SEARCH_FACETS)[number];

/** Filter values are slugs (`fighter`, `1970s`, `united-kingdom`, `boeing`), the same as the list pages' URLs. */
export const FILTER_VALUE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const FILTER_LIMITS = {
  /** Characters in one value (the longest manufacturer slug is far shorter). */
  maxValueLength: 64,
  /** Values of one facet: more than the 17 roles, so ticking every role still fits. */
  maxValuesPerFacet: 20,
} as const;

/** Filters applied to a search: per facet, the values any of which a result must have. */
export type SearchFilters = Partial<Record<SearchFacet, string[]>>;

const isFacet = (name: string): name is SearchFacet => (SEARCH_FACETS as readonly string[]).includes(name);
const isValue = (value: string): boolean => value.length <= FILTER_LIMITS.maxValueLength && FILTER_VALUE_PATTERN.test(value);

/**
 * The canonical form: known facets only, each value valid, de-duplicated and sorted, at most
 * `maxValuesPerFacet` per facet, empty facets dropped. Two searches with the same filters in
 * another order compare equal.
 */
export function canonicalFilters(filters: Readonly<Record<string, readonly string[] | undefined>>): SearchFilters {
  const out: SearchFilters = {};
  for (const facet of SEARCH_FACETS) {
    const values = [...new Set(filters[facet] ?? [])].filter(isValue).sort().slice(0, FILTER_LIMITS.maxValuesPerFacet);
    if (values.length > 0) out[facet] = values;
  }
  return out;
}

export const hasFilters = (filters: SearchFilters | undefined): boolean => filters !== undefined && Object.keys(filters).length > 0;

/**
 * One string for a combination of filters, in URL query form: `era=1970s&role=bomber,fighter`.
 * Facets in `SEARCH_FACETS` order, values sorted; the empty string for no filters. Used as the
 * combination's name in the consumer's state and report, and as the Kafka key of a search
 * without a query.
 */
export function filterKey(filters: SearchFilters): string {
  const canonical = canonicalFilters(filters);
  return SEARCH_FACETS.filter((f) => canonical[f]).map((f) => `${f}=${canonical[f]?.join(',')}`).join('&');
}

/** Reads `filterKey`'s form back; unknown facets and invalid values are dropped. */
export function parseFilterKey(key: string): SearchFilters {
  const raw: Record<string, string[]> = {};
  for (const part of key.split('&')) {
    const [facet = '', values = ''] = part.split('=');
    if (isFacet(facet)) raw[facet] = values.split(',');
  }
  return canonicalFilters(raw);
}
