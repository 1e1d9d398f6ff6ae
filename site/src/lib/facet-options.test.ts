import { describe, expect, it } from 'vitest';
import { facetOptions, type FacetValues } from './facet-options.ts';

const item = (roles: string[], era: string, country: string, maker: string): FacetValues => ({
  role: roles.map((r) => ({ value: r, label: r.toUpperCase() })),
  era: [{ value: era, label: era }],
  country: [{ value: country.toLowerCase().replace(/ /g, '-'), label: country }],
  manufacturer: [{ value: maker, label: `${maker} Inc.` }],
});

describe('facetOptions', () => {
  it('counts every value once per aircraft carrying it, in each facet its own order', () => {
    const options = facetOptions(
      [item(['fighter', 'attack'], '1970s', 'United States', 'grumman'), item(['fighter'], 'unknown', 'France', 'dassault'), item(['airliner'], '1950s', 'United States', 'boeing')],
      { role: ['airliner', 'fighter', 'attack'], era: 'value', country: 'label', manufacturer: 'label' },
    );
    expect(options.role).toEqual([
      { value: 'airliner', label: 'AIRLINER', count: 1 },
      { value: 'fighter', label: 'FIGHTER', count: 2 },
      { value: 'attack', label: 'ATTACK', count: 1 },
    ]);
    // Decades in order, "unknown" last.
    expect(options.era.map((o) => o.value)).toEqual(['1950s', '1970s', 'unknown']);
    expect(options.country).toEqual([
      { value: 'france', label: 'France', count: 1 },
      { value: 'united-states', label: 'United States', count: 2 },
    ]);
    expect(options.manufacturer.map((o) => o.label)).toEqual(['boeing Inc.', 'dassault Inc.', 'grumman Inc.']);
  });
});
