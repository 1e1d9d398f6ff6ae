import { describe, expect, it } from 'vitest';
import { FrozenNumberTable, NumberTable } from './number-table.ts';
import { hash53 } from './sketch.ts';

describe('NumberTable', () => {
  it('counts 100,000 53-bit keys (0 and 2^53 - 1 included) exactly as a Map does, across its growth', () => {
    const table = new NumberTable();
    const expected = new Map<number, number>();
    const keys = [0, 2 ** 53 - 1, ...Array.from({ length: 100_000 }, (_, i) => hash53(`k${i % 60_000}`))];
    const returned: number[] = [];
    const counted: number[] = [];
    for (const key of keys) {
      expected.set(key, (expected.get(key) ?? 0) + 1);
      returned.push(table.increment(key));
      counted.push(expected.get(key) ?? 0);
    }
    expect(returned).toEqual(counted);
    expect(table.size).toBe(expected.size);
    for (const [key, count] of expected) expect(table.get(key)).toBe(count);
    expect(table.get(hash53('absent'))).toBe(0);
  });

  it('frozen from several tables, sums their counts and answers every key (and no other) by binary search', () => {
    const a = new NumberTable();
    const b = new NumberTable();
    const want = new Map<number, number>();
    for (let i = 0; i < 5_000; i++) {
      const key = (i * 2_654_435_761) % 2 ** 53;
      const table = i % 3 === 0 ? b : a;
      table.increment(key);
      if (i % 5 === 0) b.increment(key);
      want.set(key, (want.get(key) ?? 0) + 1 + (i % 5 === 0 ? 1 : 0));
    }
    const counts = new FrozenNumberTable([a, b], true);
    const set = new FrozenNumberTable([a, b], false);
    expect(counts.size).toBe(want.size);
    for (const [key, n] of want) expect([counts.get(key), set.get(key)]).toEqual([n, 1]);
    for (const missing of [1, 3, 2 ** 53 - 1]) if (!want.has(missing)) expect(counts.get(missing)).toBe(0);
  });
});
