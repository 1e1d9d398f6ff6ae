import { seededRandom } from '@hangarstack/testing/seeded-random';
import { describe, expect, it } from 'vitest';
import { altitude, distance, formatFast, formatNumber, length, mass, power, speed, thrust } from './units.ts';

/** The reference formatNumber must match: Intl, as it was before the fast path. */
const intl = (digits: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits });
const DIGITS = [0, 1, 2, 3]; // every precision formatFast answers (callers use 0, 1 and 2)

/** Every value whose formatNumber text differs from Intl's (all are checked), and how many the fast path answered. */
const compare = (values: readonly number[], digits: number) => {
  const reference = intl(digits);
  const wrong: string[] = [];
  let fast = 0;
  for (const value of values) {
    const expected = reference.format(value);
    const quick = formatFast(value, digits);
    if (quick !== undefined) fast++;
    if (formatNumber(value, digits) !== expected || (quick !== undefined && quick !== expected)) {
      wrong.push(`${String(value)} @${digits}: ${formatNumber(value, digits)} vs Intl ${expected}`);
    }
  }
  return { wrong: wrong.slice(0, 10), wrongCount: wrong.length, fast };
};

/** Values near every kind of figure pages show: integers, decimals, unit conversions as units.ts computes them, both signs. */
const sweep = (seed: number, count: number): number[] => {
  const random = seededRandom(seed);
  const values: number[] = [];
  while (values.length < count) {
    const sign = random() < 0.2 ? -1 : 1;
    const whole = Math.floor(random() * 10 ** (1 + Math.floor(random() * 7)));
    const places = 1 + Math.floor(random() * 6);
    const decimal = Math.round(random() * 10 ** (places + 4)) / 10 ** places;
    values.push(
      sign * whole,
      sign * decimal,
      decimal * 3.28084,
      whole * 2.20462,
      (decimal / 10) * 224.809,
      whole / 1.852,
      decimal * 1.34102,
      sign * random() * 10 ** (Math.floor(random() * 16) - 3),
    );
  }
  return values;
};

/** Values on, within a few ulps of, and either side of formatFast's TIE_MARGIN around the .5 ties at `digits`. */
const nearTies = (seed: number, count: number, digits: number): number[] => {
  const random = seededRandom(seed);
  const values: number[] = [];
  const scale = 10 ** digits;
  while (values.length < count) {
    const tie = (Math.floor(random() * 10 ** (1 + Math.floor(random() * 8))) + 0.5) / scale;
    const ulp = tie * Number.EPSILON;
    const k = Math.floor(random() * 9) - 4;
    values.push(tie, tie + k * ulp, -tie - k * ulp, tie + (2 ** -10 + k * 1e-6) / scale, tie - (2 ** -10 + k * 1e-6) / scale);
  }
  return values;
};

describe('unit formatting', () => {
  it('gives metric and imperial for each kind of figure', () => {
    expect(length(70.66)).toEqual({ metric: '70.66 m', imperial: '231.8 ft' });
    expect(altitude(18_300)).toEqual({ metric: '18,300 m', imperial: '60,039 ft' });
    expect(mass(1_000)).toEqual({ metric: '1,000 kg', imperial: '2,205 lb' });
    expect(speed(1_852)).toEqual({ metric: '1,852 km/h', imperial: '1,000 kn' });
    expect(distance(926)).toEqual({ metric: '926 km', imperial: '500 nmi' });
    expect(thrust(100)).toEqual({ metric: '100 kN', imperial: '22,481 lbf' });
    expect(power(1_000)).toEqual({ metric: '1,000 kW', imperial: '1,341 hp' });
  });

  it('rounds half away from zero from the shortest decimal, as Intl does', () => {
    expect(formatNumber(1.005, 2)).toBe('1.01'); // 1.00499999999999989... as a double
    expect(formatNumber(2.675, 2)).toBe('2.68');
    expect(formatNumber(-2.5)).toBe('-3');
    expect(formatNumber(999_999.95, 1)).toBe('1,000,000');
    expect(formatNumber(-0.001)).toBe('-0');
    expect(formatNumber(-0)).toBe('-0');
  });

  it('matches Intl on edge cases, including those the fast path leaves to Intl', () => {
    const edges = [
      0, -0, 0.5, 1.5, 2.5, -2.5, -0.5, 0.05, 0.15, 0.005, 0.0005, 1.005, 2.675, 1.45, 8.345, 999.5, 999.95, 9999.995,
      999_999.95, 999_999.5, 1_000, 1e6, 123_456_789_012.345, -123_456_789.005, 1e-7, -1e-7, -0.001, -0.004, -0.0049,
      0.1 + 0.2, 1e15, 1e21, -1e21, 2 ** 40 / 1000, 2 ** 53, 2 ** 53 + 2, 2 ** 59 + 1024, 3 ** 37, Number.MAX_VALUE,
      Number.MIN_VALUE, -Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
    ];
    for (const digits of [...DIGITS, 4, 6, 20]) expect(compare(edges, digits)).toMatchObject({ wrong: [], wrongCount: 0 });
  });

  it('matches Intl on every value of a seeded sweep of figures and of near-ties, for each precision', () => {
    for (const digits of DIGITS) {
      const figures = sweep(15 + digits, 80_000);
      const result = compare(figures, digits);
      expect(result).toMatchObject({ wrong: [], wrongCount: 0 });
      expect(result.fast / figures.length).toBeGreaterThan(0.95); // the fast path, not Intl, answered them (~99 %)
      const ties = nearTies(115 + digits, 20_000, digits);
      const tieResult = compare(ties, digits);
      expect(tieResult).toMatchObject({ wrong: [], wrongCount: 0 });
      expect(tieResult.fast).toBe(ties.length); // ties are decided by String()'s digits, not left to Intl
    }
  });
});
