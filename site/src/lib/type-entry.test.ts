import { describe, expect, it } from 'vitest';
import { TYPE_SOURCE, type TypeDesignator } from '@hangarstack/shared';
import { makerName, typeFacts, typeTitle } from './type-entry.ts';

const b738: TypeDesignator = { designator: 'B738', short: true, manufacturer: 'BOEING', manufacturerSlug: 'boeing', model: '737-800', kind: 'landplane', engineType: 'jet', engineCount: 2, wakeCategory: 'M', source: TYPE_SOURCE };

describe('short type entries', () => {
  it('title-cases ICAO manufacturer names', () => {
    expect(makerName('DE HAVILLAND CANADA')).toBe('De Havilland Canada');
    expect(makerName('BELL-BOEING')).toBe('Bell-Boeing');
    expect(typeTitle(b738)).toBe('Boeing 737-800');
  });

  it('lists only the facts the designator list gives', () => {
    expect(typeFacts(b738)).toEqual([
      ['Designator', 'B738'],
      ['Manufacturer', 'Boeing'],
      ['Model', '737-800'],
      ['Kind', 'Landplane'],
      ['Engines', '2 × jet'],
      ['Wake category', 'Medium (M)'],
    ]);
    const zzzz: TypeDesignator = { designator: 'ZZZZ', short: true, model: 'No type designator assigned', kind: 'special', source: TYPE_SOURCE };
    expect(typeTitle(zzzz)).toBe('No type designator assigned');
    expect(typeFacts(zzzz).map(([label]) => label)).toEqual(['Designator', 'Model', 'Kind']);
  });
});
