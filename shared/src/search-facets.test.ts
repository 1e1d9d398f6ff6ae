import { describe, expect, it } from 'vitest';
import { FILTER_LIMITS, canonicalFilters, filterKey, hasFilters, parseFilterKey } from './search-facets.ts';

describe('search filters', () => {
  it('canonicalises: known facets only, values de-duplicated and sorted, empty facets dropped', () => {
    expect(canonicalFilters({ role: ['fighter', 'bomber', 'fighter'], era: [], colour: ['red'], country: ['france'] })).toEqual({
      role: ['bomber', 'fighter'],
      country: ['france'],
    });
  });

  it('drops values that are not slugs or are too long, and keeps at most the per-facet limit', () => {
    const many = Array.from({ length: 30 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    expect(canonicalFilters({ role: ['Fighter', 'a b', 'x'.repeat(FILTER_LIMITS.maxValueLength + 1), 'ok'] })).toEqual({ role: ['ok'] });
    expect(canonicalFilters({ manufacturer: many }).manufacturer).toHaveLength(FILTER_LIMITS.maxValuesPerFacet);
  });

  it('names a combination the same whatever order it was chosen in, and reads the name back', () => {
    const key = filterKey({ role: ['fighter', 'bomber'], era: ['1970s'] });
    expect(key).toBe('role=bomber,fighter&era=1970s');
    expect(filterKey({ era: ['1970s'], role: ['bomber', 'fighter'] })).toBe(key);
    expect(parseFilterKey(key)).toEqual({ role: ['bomber', 'fighter'], era: ['1970s'] });
    expect(parseFilterKey('colour=red&era=BAD')).toEqual({});
    expect(filterKey({})).toBe('');
  });

  it('tells whether any filter is applied', () => {
    expect(hasFilters(undefined)).toBe(false);
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ era: ['1950s'] })).toBe(true);
  });
});
