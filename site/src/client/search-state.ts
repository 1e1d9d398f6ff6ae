import { SEARCH_FACETS, canonicalFilters, filterKey, hasFilters, type SearchFilters } from '@hangarstack/shared/search-facets';

/**
 * What the search page shows, kept in its URL (`/search/?q=mig&role=fighter&role=bomber&era=1970s`)
 * so that back/forward and a shared link restore it. The form's own GET submission produces the
 * same URL: a facet's checkboxes share its name, one parameter per ticked value.
 */
export interface SearchState {
  q: string;
  filters: SearchFilters;
}

/** Characters of a query kept (the beacon contract's limit). */
const MAX_QUERY = 100;

/** Reads the state from URL parameters or form data; unknown facets and invalid values are dropped. */
export function readState(params: URLSearchParams): SearchState {
  const raw = Object.fromEntries(SEARCH_FACETS.map((f) => [f, params.getAll(f)]));
  return { q: (params.get('q') ?? '').trim().slice(0, MAX_QUERY), filters: canonicalFilters(raw) };
}

/** The page URL of a state: the query first, then each facet's values in facet order; `/search/` for none. */
export function stateUrl(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const facet of SEARCH_FACETS) for (const value of state.filters[facet] ?? []) params.append(facet, value);
  const query = params.toString();
  return query ? `/search/?${query}` : '/search/';
}

export const sameState = (a: SearchState, b: SearchState): boolean => a.q === b.q && filterKey(a.filters) === filterKey(b.filters);

/** Whether there is anything to search for: a query, or filters to browse by. */
export const isEmpty = (state: SearchState): boolean => !state.q && !hasFilters(state.filters);

/**
 * Pagefind's filter option: within a facet any value matches (fighters or bombers), across facets
 * all must (fighters of the 1970s). Pagefind alone would require every value of a list.
 */
export function pagefindFilters(filters: SearchFilters): Record<string, { any: string[] }> {
  return Object.fromEntries(SEARCH_FACETS.flatMap((f) => (filters[f] ? [[f, { any: filters[f] }]] : [])));
}

/** The status line read out after each search (the element is an aria-live region). */
export function statusText(state: SearchState, count: number): string {
  const n = Object.values(state.filters).reduce((sum, values) => sum + values.length, 0);
  const filters = n === 0 ? '' : ` with ${n} filter${n === 1 ? '' : 's'}`;
  const results = `${count} result${count === 1 ? '' : 's'}`;
  return state.q ? `${results} for “${state.q}”${filters}.` : `${results}${filters}.`;
}
