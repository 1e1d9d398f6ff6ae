import { beaconSchema } from '@hangarstack/shared';
import { describe, expect, it } from 'vitest';
import { beaconFactory, catalogueSlugs } from './beacons.ts';

describe('beaconFactory', () => {
  it('makes valid beacons whose ids are unique and counted up across beacons', () => {
    const make = beaconFactory('unit', ['boeing-747-400', 'airbus-a320'], 10, () => Date.UTC(2026, 10, 23));
    const first = make();
    const second = make();
    expect(beaconSchema.safeParse(first.beacon).success).toBe(true);
    expect(first.ids).toHaveLength(10);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(20);
    expect(second.ids[0]).toBe('unit-000000000010');
  });

  it('rejects a run id that would make invalid event ids', () => {
    expect(() => beaconFactory('no spaces', ['a-b'], 1)).toThrow(/URL-safe/);
    expect(() => beaconFactory('run', [], 1)).toThrow(/no aircraft slugs/);
  });

  it('reads the real catalogue slugs', () => {
    const slugs = catalogueSlugs();
    expect(slugs.length).toBeGreaterThan(100);
    expect(slugs.every((s) => /^[a-z0-9-]+$/.test(s))).toBe(true);
  });
});
