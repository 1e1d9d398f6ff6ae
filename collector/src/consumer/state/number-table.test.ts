import { describe, expect, it } from 'vitest';
import { NumberTable } from './number-table.ts';
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
});
