import { SEARCH_FACETS, type SearchFacet } from '@hangarstack/shared/search-facets';

/**
 * The search page's facet options, built from the catalogue at build time (no Astro imports, so
 * unit tests can load it). Each aircraft names its values the way its page marks them for
 * Pagefind (`data-pagefind-filter`), so an option's count is the number of pages the filter finds.
 */
export interface FacetOption {
  value: string;
  label: string;
  count: number;
}

export type FacetValues = Record<SearchFacet, readonly { value: string; label: string }[]>;

/** How a facet's options are ordered: by label, by value, or in a given order of values. */
export type FacetOrder = 'label' | 'value' | readonly string[];

export function facetOptions(items: readonly FacetValues[], order: Record<SearchFacet, FacetOrder>): Record<SearchFacet, FacetOption[]> {
  const out = {} as Record<SearchFacet, FacetOption[]>;
  for (const facet of SEARCH_FACETS) {
    const options = new Map<string, FacetOption>();
    for (const item of items) {
      for (const { value, label } of item[facet]) {
        const option = options.get(value);
        if (option) option.count += 1;
        else options.set(value, { value, label, count: 1 });
      }
    }
    const by = order[facet];
    const rank = (o: FacetOption) => (typeof by === 'string' ? 0 : by.indexOf(o.value));
    out[facet] = [...options.values()].sort((a, b) =>
      by === 'label' ? a.label.localeCompare(b.label) : by === 'value' ? a.value.localeCompare(b.value) : rank(a) - rank(b),
    );
  }
  return out;
}
