import { describe, expect, it } from 'vitest';
import { BEACON_LIMITS, beaconSchema, normaliseQuery } from './events.ts';

const view = { type: 'view', id: 'abcdefghijklmnop', ts: Date.UTC(2026, 0, 1), aircraft: 'concorde' } as const;
const search = { type: 'search', id: 'qrstuvwxyz012345', ts: Date.UTC(2026, 0, 1), query: 'Mach 2', results: 3 } as const;

describe('beaconSchema', () => {
  it('accepts views and searches, with and without a clicked result', () => {
    const parsed = beaconSchema.parse({ v: 1, events: [view, search, { ...search, clicked: 'concorde' }] });
    expect(parsed.events.map((e) => e.type)).toEqual(['view', 'search', 'search']);
  });

  it('accepts a search with facet filters, canonical (sorted, no duplicates), and a filter-only search without a query', () => {
    const parsed = beaconSchema.parse({ v: 1, events: [{ ...search, filters: { role: ['fighter', 'bomber', 'fighter'], era: ['1970s'] } }, { ...search, query: ' ', filters: { country: ['france'] } }] });
    expect(parsed.events).toMatchObject([{ filters: { role: ['bomber', 'fighter'], era: ['1970s'] } }, { query: '', filters: { country: ['france'] } }]);
  });

  it.each([
    ['an unknown key on an event', { v: 1, events: [{ ...view, extra: 1 }] }],
    ['an unknown key on the envelope', { v: 1, events: [view], extra: 1 }],
    ['another contract version', { v: 2, events: [view] }],
    ['an empty batch', { v: 1, events: [] }],
    ['too many events', { v: 1, events: Array.from({ length: BEACON_LIMITS.maxEvents + 1 }, () => view) }],
    ['a short id', { v: 1, events: [{ ...view, id: 'short' }] }],
    ['an id with other characters', { v: 1, events: [{ ...view, id: 'abcdefghijklmnop/' }] }],
    ['a timestamp before 2020', { v: 1, events: [{ ...view, ts: 0 }] }],
    ['a fractional timestamp', { v: 1, events: [{ ...view, ts: Date.UTC(2026, 0, 1) + 0.5 }] }],
    ['a huge timestamp', { v: 1, events: [{ ...view, ts: 1e308 }] }],
    ['a slug that is not kebab-case', { v: 1, events: [{ ...view, aircraft: 'Concorde' }] }],
    ['a path in the slug', { v: 1, events: [{ ...view, aircraft: '../etc' }] }],
    ['an empty query', { v: 1, events: [{ ...search, query: '   ' }] }],
    ['an over-long query', { v: 1, events: [{ ...search, query: 'x'.repeat(BEACON_LIMITS.maxQueryLength + 1) }] }],
    ['negative results', { v: 1, events: [{ ...search, results: -1 }] }],
    ['too many results', { v: 1, events: [{ ...search, results: BEACON_LIMITS.maxResults + 1 }] }],
    ['an unknown type', { v: 1, events: [{ ...view, type: 'purchase' }] }],
    ['a string number', { v: 1, events: [{ ...search, results: '3' }] }],
    ['an unknown facet', { v: 1, events: [{ ...search, filters: { colour: ['red'] } }] }],
    ['a filter value that is not a slug', { v: 1, events: [{ ...search, filters: { country: ['United Kingdom'] } }] }],
    ['an over-long filter value', { v: 1, events: [{ ...search, filters: { manufacturer: ['x'.repeat(65)] } }] }],
    ['too many values for one facet', { v: 1, events: [{ ...search, filters: { role: Array.from({ length: 21 }, (_, i) => `r${i}`) } }] }],
    ['an empty value list', { v: 1, events: [{ ...search, filters: { role: [] } }] }],
    ['filters that are not lists', { v: 1, events: [{ ...search, filters: { role: 'fighter' } }] }],
    ['neither a query nor a filter', { v: 1, events: [{ ...search, query: '', filters: {} }] }],
  ])('rejects %s', (_name, input) => {
    expect(beaconSchema.safeParse(input).success).toBe(false);
  });

  it('rejects an own __proto__ key (as JSON.parse creates it) instead of dropping it', () => {
    const input: unknown = JSON.parse(`{"v":1,"events":[${JSON.stringify(view).slice(0, -1)},"__proto__":{"x":1}}]}`);
    expect(beaconSchema.safeParse(input).success).toBe(false);
  });
});

describe('normaliseQuery', () => {
  it('folds case, Unicode compatibility forms and whitespace', () => {
    expect(normaliseQuery('  Mach\t\n 2  ')).toBe('mach 2');
    expect(normaliseQuery('ＢＯＥＩＮＧ')).toBe('boeing');
  });

  it('never returns more than the query limit', () => {
    expect(normaliseQuery('a'.repeat(500))).toHaveLength(BEACON_LIMITS.maxQueryLength);
  });
});
