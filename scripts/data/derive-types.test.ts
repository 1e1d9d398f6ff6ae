import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { typeDesignatorSchema } from '@hangarstack/shared';
import { deriveTypeEntries, splitName, type IcaoTypes } from './derive-types.ts';

describe('splitName', () => {
  it("splits ICAO's capitalised manufacturer from the model", () => {
    expect(splitName('BOEING 737-800')).toEqual({ manufacturer: 'BOEING', model: '737-800' });
    expect(splitName('DE HAVILLAND CANADA DHC-6 Twin Otter')).toEqual({ manufacturer: 'DE HAVILLAND CANADA', model: 'DHC-6 Twin Otter' });
    expect(splitName('M&D FLUGZEUGBAU AVO-68 Samburo')).toEqual({ manufacturer: 'M&D FLUGZEUGBAU', model: 'AVO-68 Samburo' });
    expect(splitName('ROBIN ATL')).toEqual({ manufacturer: 'ROBIN', model: 'ATL' });
    expect(splitName('ATR-72-600')).toEqual({ model: 'ATR-72-600' });
  });
});

describe('deriveTypeEntries', () => {
  const list: IcaoTypes = {
    B738: ['BOEING 737-800', 'L2J', 'M'],
    A388: ['AIRBUS A-380-800', 'L4J', 'J'],
    GANT: ['FAIREY Gannet', 'L0T', 'M'],
    V22: ['BELL-BOEING V-22 Osprey', 'R2T', 'M'],
    ZZZZ: ['', '-0-', '-'],
    EMER: ['', 'V0-', '-'],
  };
  const entries = deriveTypeEntries(list, new Set(['boeing', 'airbus']));
  const by = new Map(entries.map((e) => [e.designator, e]));

  it('makes one schema-valid short entry per designator, sorted', () => {
    expect(entries.map((e) => e.designator)).toEqual(['A388', 'B738', 'EMER', 'GANT', 'V22', 'ZZZZ']);
    for (const e of entries) expect(typeDesignatorSchema.parse(e)).toEqual(e);
    expect(entries.every((e) => e.short)).toBe(true);
  });

  it('decodes kind, engines and wake category, and links a known manufacturer', () => {
    expect(by.get('B738')).toMatchObject({ manufacturer: 'BOEING', manufacturerSlug: 'boeing', model: '737-800', kind: 'landplane', engineType: 'jet', engineCount: 2, wakeCategory: 'M' });
    expect(by.get('A388')).toMatchObject({ manufacturerSlug: 'airbus', engineCount: 4, wakeCategory: 'J' });
    expect(by.get('V22')).toMatchObject({ kind: 'tiltrotor', engineType: 'turboprop' });
    expect(by.get('V22')?.manufacturerSlug).toBeUndefined();
    // The Gannet's coupled engines are listed as 0: no count rather than a wrong one.
    expect(by.get('GANT')?.engineCount).toBeUndefined();
  });

  it('explains special designators instead of leaving them nameless', () => {
    expect(by.get('ZZZZ')).toMatchObject({ kind: 'special', model: 'No type designator assigned' });
    expect(by.get('ZZZZ')?.wakeCategory).toBeUndefined();
    expect(by.get('EMER')?.model).toMatch(/not an aircraft type/);
  });
});

describe('the committed entries', () => {
  it('are what the derivation produces (run scripts/data/derive.ts after changing it)', () => {
    const b738 = JSON.parse(readFileSync('data/types/B738.json', 'utf8')) as unknown;
    expect(b738).toEqual(deriveTypeEntries({ B738: ['BOEING 737-800', 'L2J', 'M'] }, new Set(['boeing']))[0]);
  });
});
