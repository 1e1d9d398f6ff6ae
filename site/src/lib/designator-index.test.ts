import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designatorIndex, designatorQuery } from './designator-index.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', 'data');
const readAll = <T>(sub: string): T[] => readdirSync(join(DATA, sub)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(DATA, sub, f), 'utf8')) as T);

describe('designatorIndex', () => {
  it('points a designator at its full record, else at its short entry', () => {
    const index = designatorIndex(
      [{ designator: 'B772', title: 'Boeing 777-200' }, { designator: 'DC3S', title: 'Douglas DC-3S' }],
      [{ slug: 'boeing-777-200er', name: 'Boeing 777-200ER', icao: 'B772' }, { slug: 'boeing-777-200', name: 'Boeing 777-200', icao: 'B772' }, { slug: 'no-code', name: 'No code' }],
    );
    expect(index).toEqual({
      B772: { url: '/aircraft/boeing-777-200/', title: 'Boeing 777-200 (B772)' },
      DC3S: { url: '/type/DC3S/', title: 'DC3S — Douglas DC-3S' },
    });
    // Shared designator: the record named most like ICAO's model wins, not the first by name.
    const dc3 = designatorIndex([{ designator: 'DC3', title: 'Douglas DC-3' }], [{ slug: 'douglas-c-47-skytrain', name: 'Douglas C-47 Skytrain', icao: 'DC3' }, { slug: 'douglas-dc-3', name: 'Douglas DC-3', icao: 'DC3' }]);
    expect(dc3.DC3?.url).toBe('/aircraft/douglas-dc-3/');
  });

  it('resolves every ICAO designator in data/ to a page that the build emits', () => {
    const types = readAll<{ designator: string; model: string }>('types');
    const records = readAll<{ slug: string; name: string; icao?: string }>('aircraft');
    const index = designatorIndex(types.map((t) => ({ designator: t.designator, title: t.model })), records);
    expect(Object.keys(index)).toHaveLength(types.length);
    expect(types.length).toBeGreaterThanOrEqual(2816);
    const slugs = new Set(records.map((r) => r.slug));
    for (const [designator, hit] of Object.entries(index)) {
      const ok = hit.url === `/type/${designator}/` || slugs.has(hit.url.split('/')[2] ?? '');
      expect(ok, `${designator} → ${hit.url}`).toBe(true);
    }
    expect(index.B738?.url).toBe('/aircraft/boeing-737-800/');
    expect(index.A20N?.url).toBe('/aircraft/airbus-a320neo/');
    expect(index.C172?.url).toBe('/aircraft/cessna-172-skyhawk/');
  });
});

describe('designatorQuery', () => {
  it('recognises designators but leaves ordinary words to the word search', () => {
    expect(designatorQuery(' b738 ')).toBe('B738');
    expect(designatorQuery('A20N')).toBe('A20N');
    expect(designatorQuery('ZZZZ')).toBe('ZZZZ');
    expect(designatorQuery('puma')).toBeUndefined();
    expect(designatorQuery('boeing 737')).toBeUndefined();
    expect(designatorQuery('x')).toBeUndefined();
  });
});
