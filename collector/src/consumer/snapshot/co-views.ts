import { ALSO_VIEWED_PUBLISHED } from '@hangarstack/shared';
import { pairKey, pairOf } from '../state/co-views.ts';
import type { PartitionState } from '../state/partition-state.ts';
import { SketchUnion, type Sketch } from '../state/sketch.ts';
import { meetsKAnonymity } from './k-anonymity.ts';
import { WINDOWS, inWindow } from './windows.ts';

/**
 * "Visitors also viewed": per aircraft, the aircraft the same visitors viewed on the same day in
 * the last 30 days. Pairs are counted in the user activity partitions (keyed by visitor); one
 * pair's counts are spread over them, so their origin sketches are merged (an origin seen in two
 * partitions counts once). A pair is published only when at least `k` distinct origins viewed
 * both, and partners are ordered by distinct origins, then slug (never by visitor-days, which are
 * not capped): many user agents behind one network weigh as one, so one client can neither
 * publish nor reorder a list.
 * Each partition keeps, per aircraft per day, a bounded Space-Saving table of partners
 * (state/co-view-partners.ts); a pair's origins are the union of its entries in both aircraft's
 * tables, every day and partition: each entry's sketch holds only origins that really viewed both,
 * so the union never exceeds the pair's true origins and the floor holds; a pair evicted from the
 * tables is undercounted (hidden), never published early.
 * Deterministic: unions and the (origins, slug) order do not depend on the order states, days or
 * tables are visited, so the same states give the same lists however partitions were spread.
 */
export function alsoViewedLists(states: readonly PartitionState[], asOfHour: number, k: number, limit = ALSO_VIEWED_PUBLISHED): Record<string, string[]> {
  const merged = new Map<string, Sketch[]>();
  for (const state of states) {
    for (const [day, tables] of state.coViews.days) {
      // A day counts while any of its hours is in the window (the window's oldest day may be partial).
      if (!inWindow(asOfHour, day * 24, WINDOWS.d30) && !inWindow(asOfHour, day * 24 + 23, WINDOWS.d30)) continue;
      for (const [aircraft, table] of tables) {
        for (const [partner, entry] of table) {
          const pair = pairKey(aircraft, partner);
          const list = merged.get(pair);
          if (list) list.push(entry.origins);
          else merged.set(pair, [entry.origins]);
        }
      }
    }
  }
  // Counted in place (one reused register array), as the aircraft windows are.
  const union = new SketchUnion();
  const partners = new Map<string, { slug: string; origins: number }[]>();
  for (const [pair, sketches] of merged) {
    union.clear();
    for (const sketch of sketches) union.add(sketch);
    const origins = union.count();
    if (!meetsKAnonymity(origins, k)) continue;
    const [a, b] = pairOf(pair);
    for (const [slug, other] of [[a, b], [b, a]] as const) {
      const list = partners.get(slug);
      const entry = { slug: other, origins };
      if (list) list.push(entry);
      else partners.set(slug, [entry]);
    }
  }
  return Object.fromEntries(
    [...partners]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slug, list]) => [
        slug,
        list
          .sort((x, y) => y.origins - x.origins || x.slug.localeCompare(y.slug))
          .slice(0, limit)
          .map((p) => p.slug),
      ]),
  );
}
