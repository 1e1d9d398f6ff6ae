import { describe, expect, it } from 'vitest';
import { isEmpty, pagefindFilters, readState, sameState, stateUrl, statusText } from './search-state.ts';

describe('search state in the URL', () => {
  it('reads the query and the facets, canonical, dropping unknown facets and values that are not slugs', () => {
    const state = readState(new URLSearchParams('q=+mig+&role=fighter&role=bomber&role=fighter&era=1970s&colour=red&country=&manufacturer=Bad%20Value'));
    expect(state).toEqual({ q: 'mig', filters: { role: ['bomber', 'fighter'], era: ['1970s'] } });
  });

  it('writes the URL the form itself would submit, and reads it back to the same state', () => {
    const state = { q: 'mach 2', filters: { era: ['1960s'], role: ['fighter', 'bomber'], country: ['france'] } };
    const url = stateUrl(state);
    expect(url).toBe('/search/?q=mach+2&role=fighter&role=bomber&era=1960s&country=france');
    const back = readState(new URL(url, 'https://example.org').searchParams);
    expect(sameState(back, state)).toBe(true);
    expect(stateUrl({ q: '', filters: {} })).toBe('/search/');
    expect(stateUrl({ q: '', filters: { era: ['unknown'] } })).toBe('/search/?era=unknown');
  });

  it('compares states by query and filters, whatever order the values were chosen in', () => {
    expect(sameState({ q: 'x', filters: { role: ['a', 'b'] } }, { q: 'x', filters: { role: ['b', 'a'] } })).toBe(true);
    expect(sameState({ q: 'x', filters: { role: ['a'] } }, { q: 'x', filters: {} })).toBe(false);
    expect(isEmpty({ q: '', filters: {} })).toBe(true);
    expect(isEmpty({ q: '', filters: { country: ['japan'] } })).toBe(false);
  });

  it('asks Pagefind for any value within a facet and every facet at once', () => {
    expect(pagefindFilters({ role: ['bomber', 'fighter'], era: ['1970s'] })).toEqual({ role: { any: ['bomber', 'fighter'] }, era: { any: ['1970s'] } });
    expect(pagefindFilters({})).toEqual({});
  });

  it('says how many results, for what, with how many filters', () => {
    expect(statusText({ q: 'mig', filters: {} }, 1)).toBe('1 result for “mig”.');
    expect(statusText({ q: 'mig', filters: { role: ['fighter'], era: ['1970s', '1980s'] } }, 4)).toBe('4 results for “mig” with 3 filters.');
    expect(statusText({ q: '', filters: { country: ['france'] } }, 0)).toBe('0 results with 1 filter.');
  });
});
