import { describe, expect, it } from 'vitest';
import { changedRoutes, shownSignature, shownSignatures, type Popularity } from './popularity.ts';

const stats = (visitors: number, rank: number | null) => ({ views: { h24: 0, d7: visitors, d30: visitors }, visitors: { h24: 0, d7: visitors, d30: visitors }, trending: 0, rank });
const snapshot = (over: Partial<Popularity> = {}): Popularity => ({
  schema: 1,
  generatedAt: '2026-01-01T00:00:00.000Z',
  asOf: 0,
  aircraft: { a: stats(120, 1), b: stats(30, 2), c: stats(0, null) },
  popular: ['a', 'b'],
  trending: ['b'],
  searches: { kAnonymity: 5, top: [{ query: 'concorde', searches: 9, visitors: 6, clickThrough: 0.5 }] },
  source: { kind: 'embedded', offsets: {} },
  ...over,
});

describe('shownSignatures (per route)', () => {
  it('lists ranked aircraft pages, the home page and the popular page', () => {
    const routes = shownSignatures(snapshot());
    expect(Object.keys(routes).sort()).toEqual(['/', '/aircraft/a/', '/aircraft/b/', '/popular/']);
    expect(routes['/aircraft/a/']).toBe('1:100');
  });

  it('one more visitor inside a bucket changes nothing; a rank swap changes exactly the pages that show it', () => {
    const before = shownSignatures(snapshot());
    expect(changedRoutes(before, shownSignatures(snapshot({ aircraft: { ...snapshot().aircraft, a: stats(121, 1) } })))).toEqual([]);
    const swapped = snapshot({ aircraft: { ...snapshot().aircraft, a: stats(120, 2), b: stats(130, 1) }, popular: ['b', 'a'] });
    expect(changedRoutes(before, shownSignatures(swapped))).toEqual(['/', '/aircraft/a/', '/aircraft/b/', '/popular/']);
  });

  it('a new search changes only /popular/; an aircraft dropping out of the ranking changes its page', () => {
    const before = shownSignatures(snapshot());
    const searched = snapshot({ searches: { kAnonymity: 5, top: [{ query: 'f-16', searches: 9, visitors: 6, clickThrough: 0 }] } });
    expect(changedRoutes(before, shownSignatures(searched))).toEqual(['/popular/']);
    const rest = Object.fromEntries(Object.entries(snapshot().aircraft).filter(([slug]) => slug !== 'b'));
    expect(changedRoutes(before, shownSignatures(snapshot({ aircraft: rest, popular: ['a'], trending: [] })))).toEqual(['/', '/aircraft/b/', '/popular/']);
  });

  it('drops slugs the catalogue does not have before cutting lists, as the pages do', () => {
    const routes = shownSignatures(snapshot({ popular: ['gone', 'a', 'b'] }), (slug) => slug !== 'gone');
    expect(routes['/']).toBe(shownSignatures(snapshot())['/']);
    expect(Object.keys(routes)).not.toContain('/aircraft/gone/');
  });

  it('the global signature follows the per-route one', () => {
    expect(shownSignature(snapshot())).toBe(shownSignature(snapshot({ generatedAt: '2026-02-01T00:00:00.000Z' })));
    expect(shownSignature(snapshot())).not.toBe(shownSignature(snapshot({ trending: [] })));
  });

  it('a changed "also viewed" list changes exactly that aircraft page, also one without a rank; unknown partners are dropped first', () => {
    const before = shownSignatures(snapshot({ alsoViewed: { a: ['b', 'c'] } }));
    expect(before['/aircraft/a/']).toBe('1:100|b,c');
    expect(changedRoutes(before, shownSignatures(snapshot({ alsoViewed: { a: ['b', 'c'] } })))).toEqual([]);
    expect(changedRoutes(before, shownSignatures(snapshot({ alsoViewed: { a: ['c', 'b'] } })))).toEqual(['/aircraft/a/']);
    // c has no rank and no visitors: its page shows the list all the same.
    expect(changedRoutes(before, shownSignatures(snapshot({ alsoViewed: { a: ['b', 'c'], c: ['a'] } })))).toEqual(['/aircraft/c/']);
    // Only the first four known partners are shown: a fifth, or one the catalogue lacks, changes nothing.
    const five = shownSignatures(snapshot({ alsoViewed: { a: ['b', 'c', 'd', 'e', 'f'] } }));
    expect(changedRoutes(five, shownSignatures(snapshot({ alsoViewed: { a: ['b', 'c', 'd', 'e', 'g'] } })))).toEqual([]);
    expect(shownSignatures(snapshot({ alsoViewed: { a: ['gone', 'b'] } }), (slug) => slug !== 'gone')['/aircraft/a/']).toBe('1:100|b');
  });

  it('the popular facets change the home page only, by their order and names, not their counts', () => {
    const facets = { manufacturers: [{ id: 'airbus', visitors: 9 }, { id: 'boeing', visitors: 7 }], roles: [], eras: [{ id: '1960s', visitors: 4 }] };
    const before = shownSignatures(snapshot({ facets }));
    expect(changedRoutes(before, shownSignatures(snapshot({ facets: { ...facets, eras: [{ id: '1960s', visitors: 40 }] } })))).toEqual([]);
    const swapped = { ...facets, manufacturers: [{ id: 'boeing', visitors: 10 }, { id: 'airbus', visitors: 9 }] };
    expect(changedRoutes(before, shownSignatures(snapshot({ facets: swapped })))).toEqual(['/']);
    // A snapshot written before facets existed shows none, like an empty list.
    expect(shownSignatures(snapshot())['/']).toBe(shownSignatures(snapshot({ facets: { manufacturers: [], roles: [], eras: [] } }))['/']);
  });
});
