import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs across seeds, and spreads over [0, 1)', () => {
    const draw = (seed: number, n: number) => Array.from({ length: n }, seededRandom(seed));
    expect(draw(42, 1_000)).toEqual(draw(42, 1_000));
    expect(draw(43, 10)).not.toEqual(draw(42, 10));
    const many = draw(1, 100_000);
    expect(many.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(many.reduce((a, b) => a + b, 0) / many.length - 0.5)).toBeLessThan(0.01);
    // Ten equal bins each get about a tenth.
    const bins = new Array<number>(10).fill(0);
    for (const x of many) bins[Math.floor(x * 10)] = (bins[Math.floor(x * 10)] ?? 0) + 1;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
