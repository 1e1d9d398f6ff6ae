import { describe, expect, it } from 'vitest';
import { growth, median, percentile, perSecond, ratio } from './stats.ts';

describe('percentile', () => {
  it('takes the nearest rank, unaffected by input order', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN for no samples rather than a made-up zero', () => {
    expect(percentile([], 99)).toBeNaN();
  });

  it('gives the middle value as the median of an odd count', () => {
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('ratio, perSecond and growth', () => {
  it('divides by the baseline', () => {
    expect(ratio(10, 4)).toBe(2.5);
  });

  it('refuses a zero or non-finite baseline so a broken baseline never reads as fast', () => {
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(1, Number.NaN)).toBeNaN();
  });

  it('turns a count and milliseconds into a rate', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(1, 0)).toBeNaN();
  });

  it('reports fractional growth', () => {
    expect(growth(100, 105)).toBeCloseTo(0.05);
    expect(growth(0, 5)).toBeNaN();
  });
});
