import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { ADMITTED, AGAIN, CapDay, REFUSED, encodeCapRow, forEachCapPair } from './cap-day.ts';
import { hash53 } from './sketch.ts';

describe('CapDay', () => {
  it('answers as a Map of Sets would over 90,000 admits, across many merges into its sorted run, sealed or not (seeded random)', () => {
    const random = seededRandom(7);
    const day = new CapDay();
    const sets = new Map<number, Set<number>>();
    // Few enough keys that many come back after their first visitors were merged into the run.
    const keys = Array.from({ length: 20_000 }, (_, i) => hash53(`key${i}`));
    const answers = { [REFUSED]: 0, [AGAIN]: 0, [ADMITTED]: 0 };
    for (let step = 0; step < 90_000; step++) {
      if (step === 70_000) day.seal();
      const key = keys[Math.floor(random() * keys.length)] as number;
      const visitor = Math.floor(random() * 5) * 0x3b9a_ca07;
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Set()));
      const want = set.has(visitor) ? AGAIN : set.size >= 3 ? REFUSED : ADMITTED;
      if (want === ADMITTED) set.add(visitor);
      const got = day.admit(key, visitor >>> 0, 3);
      if (got !== want) expect({ step, got }).toEqual({ step, got: want });
      answers[want]++;
    }
    expect(day.size).toBe([...sets.values()].reduce((n, s) => n + s.size, 0));
    // Every answer happened often, after the run held most of the day.
    expect(Math.min(...Object.values(answers))).toBeGreaterThan(5_000);
    expect(day.size).toBeGreaterThan(10 * 4_096);
  });

  it('adds a stored pair once however often it is inserted', () => {
    const day = new CapDay();
    for (let round = 0; round < 3; round++) for (let i = 0; i < 10_000; i++) day.insert(hash53(`k${i % 4_000}`), i);
    expect(day.size).toBe(10_000);
    expect(day.admit(hash53('k1'), 1, 3)).toBe(AGAIN);
    // k1 holds visitors 1, 4001 and 8001.
    expect(day.admit(hash53('k1'), 2, 3)).toBe(REFUSED);
  });

  it('reads back the pairs of a row it wrote, and of a row in the earlier format (53-bit visitor hashes)', () => {
    const pairs = [0, 0, 2 ** 53 - 1, 0xffff_ffff, hash53('concorde|net-1'), hash53('v1') >>> 0];
    const read = (value: Uint8Array) => {
      const out: number[] = [];
      forEachCapPair(value, (key, visitor) => out.push(key, visitor));
      return out;
    };
    expect(read(encodeCapRow(pairs))).toEqual(pairs);
    expect(encodeCapRow(pairs).byteLength % 2).toBe(1);
    const earlier = new Uint8Array(Float64Array.from([hash53('concorde|net-1'), hash53('v1'), hash53('a380|net-2'), hash53('v2')]).buffer);
    expect(read(earlier)).toEqual([hash53('concorde|net-1'), hash53('v1') >>> 0, hash53('a380|net-2'), hash53('v2') >>> 0]);
    expect(() => read(Uint8Array.of(9, 1, 2))).toThrow(/neither format/);
  });
});
