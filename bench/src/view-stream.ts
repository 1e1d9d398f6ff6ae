/**
 * The consumer bench's input: a deterministic stream of view records, `count` of them from
 * `visitors` distinct visitors over 30 days of event time, aircraft drawn with a Zipf-like skew (a
 * few aircraft get most views, as on a real site), and the exact distinct-visitor counts of the
 * most viewed aircraft, to measure the consumer's estimates against.
 */
import type { EventRecord } from '@hangarstack/shared';
import { seededRandom } from '@hangarstack/testing/seeded-random';

const HOUR = 3_600_000;
export const SPAN_MS = 30 * 24 * HOUR;

export interface ViewStream {
  /** Event time of the last record: the consumer's `asOf`. */
  readonly asOf: number;
  /** Every record, in event-time order (generated lazily: 10 M records never sit in memory). */
  records(): Generator<EventRecord>;
  /** Exact distinct visitors over the d30 and h24 windows of the `top` most viewed aircraft. */
  exact(top: number): Map<string, { d30: number; h24: number }>;
}

/**
 * A Zipf (s = 1) sampler over ranks 0..n-1: maps a uniform u in [0, 1) to a rank, rank 0 the
 * most likely (the catalogue's popularity shape in every consumer-side bench part).
 */
export function zipfSampler(n: number): (u: number) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < n; r++) cumulative.push((total += 1 / (r + 1)));
  return (u) => {
    const x = u * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function viewStream(options: { count: number; visitors: number; slugs: readonly string[]; runId: string; end: number }): ViewStream {
  const { count, visitors, slugs, runId, end } = options;
  const start = end - SPAN_MS;
  const pick = zipfSampler(slugs.length);
  const timeOf = (i: number): number => start + Math.floor(((i + 1) * SPAN_MS) / count);
  const asOf = timeOf(count - 1);
  return {
    asOf,
    *records() {
      const random = seededRandom(42);
      for (let i = 0; i < count; i++) {
        const aircraft = slugs[pick(random())] as string;
        const visitor = Math.floor(random() * visitors);
        const at = timeOf(i);
        // Two visitors per origin (a household): under the per-origin cap, so exact counts still hold.
        const origin = `0${(visitor >> 1).toString(16)}`.padStart(32, 'f');
        yield { schema: 2, id: `${runId}-${String(i).padStart(12, '0')}`, type: 'view', aircraft, clientTs: at, receivedAt: at, visitor: visitor.toString(16).padStart(32, '0'), origin, device: 'desktop' };
      }
    },
    exact(top) {
      const asOfHour = Math.floor(asOf / HOUR);
      const sets = new Map<number, { d30: Set<number>; h24: Set<number> }>();
      for (let r = 0; r < Math.min(top, slugs.length); r++) sets.set(r, { d30: new Set(), h24: new Set() });
      // The same draws as records(), in the same order.
      const random = seededRandom(42);
      for (let i = 0; i < count; i++) {
        const s = sets.get(pick(random()));
        const visitor = Math.floor(random() * visitors);
        if (!s) continue;
        const hour = Math.floor(timeOf(i) / HOUR);
        if (hour > asOfHour - 720) s.d30.add(visitor);
        if (hour > asOfHour - 24) s.h24.add(visitor);
      }
      return new Map([...sets].map(([r, s]) => [slugs[r] as string, { d30: s.d30.size, h24: s.h24.size }]));
    },
  };
}
