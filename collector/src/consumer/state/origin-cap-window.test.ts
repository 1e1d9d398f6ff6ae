import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { OriginCapWindow } from './origin-cap-window.ts';
import { encodeCapRow } from './cap-day.ts';
import { hash53, hash53Joined } from './sketch.ts';

describe('OriginCapWindow', () => {
  it('admits the first 3 visitors of an origin per aircraft per day, the same visitor again, and no 4th', () => {
    const cap = new OriginCapWindow(3, 31);
    const admit = (aircraft: string, visitor: string, day = 100) => cap.admit(aircraft, 'net-1', visitor, day, 100, () => undefined);
    expect(['v1', 'v2', 'v3', 'v4'].map((v) => admit('concorde', v))).toEqual([true, true, true, false]);
    expect(admit('concorde', 'v2')).toBe(true);
    // Another aircraft, or the next day, has its own 3.
    expect(admit('a380', 'v4')).toBe(true);
    expect(admit('concorde', 'v4', 101)).toBe(true);
  });

  it('restores what it remembered from the stored rows, a pair stored twice counting once, rows of the earlier format too', () => {
    const first = new OriginCapWindow(3, 31);
    const remembered: number[] = [];
    for (const v of ['v1', 'v2']) first.admit('concorde', 'net-1', v, 100, 100, (day, key, visitor) => remembered.push(day, key, visitor));
    expect(remembered).toEqual([100, hash53('concorde|net-1'), hash53('v1') >>> 0, 100, hash53('concorde|net-1'), hash53('v2') >>> 0]);
    const pairs = [remembered[1], remembered[2], remembered[4], remembered[5]] as number[];
    // Written before visitors were fingerprints: the key and the visitor's whole hash, as float64s.
    const earlier = new Uint8Array(Float64Array.from([hash53('concorde|net-1'), hash53('v1')]).buffer);
    for (const rows of [[encodeCapRow(pairs), encodeCapRow(pairs)], [earlier, encodeCapRow(pairs)]]) {
      const copy = new OriginCapWindow(3, 31);
      for (const row of rows) copy.load(100, row);
      const again: number[] = [];
      expect(copy.admit('concorde', 'net-1', 'v1', 100, 100, (...args) => again.push(...args))).toBe(true);
      expect(copy.admit('concorde', 'net-1', 'v2', 100, 100, (...args) => again.push(...args))).toBe(true);
      expect(again).toEqual([]);
      expect(copy.admit('concorde', 'net-1', 'v3', 100, 100, () => undefined)).toBe(true);
      expect(copy.admit('concorde', 'net-1', 'v4', 100, 100, () => undefined)).toBe(false);
    }
  });

  it('hashes a joined key as the joined string would hash', () => {
    for (const [a, b] of [['concorde', 'net-1'], ['', ''], ['a|b', 'c'], ['é', '€𝄞']]) expect(hash53Joined(a as string, b as string)).toBe(hash53(`${a}|${b}`));
  });

  it('answers as a plain set per (aircraft, origin, day) would, while past days are frozen, late records added to them and a copy restored (seeded random)', () => {
    const random = seededRandom(99);
    const cap = new OriginCapWindow(3, 5);
    let copy: OriginCapWindow | null = null;
    // The stored rows (a pruned day's are deleted, as their tombstones do).
    let rows: [number, number[]][] = [];
    // The reference: the cap's rules on Maps of Sets, pruned as the cap prunes.
    const sets = new Map<number, Map<string, Set<string>>>();
    const late = new Set<number>();
    let newestDay = 1_000;
    let frozenAnswers = 0;
    for (let step = 0; step < 40_000; step++) {
      if (step % 2_000 === 1_999) {
        newestDay++;
        for (const day of sets.keys()) {
          if (day >= newestDay - 1 || (late.has(day) && day > newestDay - 5)) continue;
          sets.delete(day);
          late.delete(day);
          rows = rows.filter(([d]) => d !== day);
        }
        cap.prune(newestDay);
        copy?.prune(newestDay);
      }
      if (step === 25_000) {
        copy = new OriginCapWindow(3, 5);
        for (const [day, pairs] of rows) copy.load(day, encodeCapRow(pairs));
      }
      const r = random();
      const day = r < 0.8 ? newestDay : r < 0.95 ? newestDay - 1 : newestDay - 1 - Math.floor(random() * 6);
      const aircraft = `a${Math.floor(random() * 20)}`;
      const origin = `o${Math.floor(random() * 200)}`;
      const visitor = `v${Math.floor(random() * 6)}`;
      if (day < newestDay - 1) late.add(day);
      let forDay = sets.get(day);
      if (!forDay) sets.set(day, (forDay = new Map()));
      let set = forDay.get(`${aircraft}|${origin}`);
      if (!set) forDay.set(`${aircraft}|${origin}`, (set = new Set()));
      const want = set.has(visitor) ? 'again' : set.size >= 3 ? 'capped' : 'new';
      if (want === 'new') set.add(visitor);
      let remembered: number[] | undefined;
      const counts = cap.admit(aircraft, origin, visitor, day, newestDay, (d, key, v) => (remembered = [key, v]));
      expect(counts ? (remembered ? 'new' : 'again') : 'capped').toBe(want);
      if (remembered) rows.push([day, remembered]);
      if (copy) {
        let copied = false;
        const again = copy.admit(aircraft, origin, visitor, day, newestDay, () => (copied = true));
        expect(again ? (copied ? 'new' : 'again') : 'capped').toBe(want);
      }
      if (day < newestDay && want !== 'new') frozenAnswers++;
    }
    expect(frozenAnswers).toBeGreaterThan(200);
  });
});
