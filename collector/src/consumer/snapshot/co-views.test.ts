import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, activityAt } from '../../../test/support/records.ts';
import { MAX_AIRCRAFT_PER_VISITOR_DAY, pairKey } from '../state/co-views.ts';
import { PartitionState } from '../state/partition-state.ts';
import type { StateRow } from '../state/rows.ts';
import { buildSnapshot } from './build-snapshot.ts';

const state = (key = 'hangarstack.user.activity:0') => new PartitionState(key, { dedupHours: 24, maxVisitorsPerOrigin: 3 });
const alsoViewed = (states: PartitionState[], k: number) =>
  buildSnapshot(states, { kAnonymity: k, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0) }).popularity.alsoViewed;
/** One visitor (`who`, from network `from`) viewing these aircraft pages in order, a minute apart. */
function visit(s: PartitionState, who: string, from: string, at: number, aircraft: string[]): void {
  aircraft.forEach((slug, i) => s.apply(activityAt(who, at + i * 60_000, { page: 'aircraft', aircraft: slug, from }), at + DAY));
}
/** Replays rows as the store or the changelog holds them (last value per key) into a fresh state. */
function restore(rows: readonly StateRow[], key = 'hangarstack.user.activity:0'): PartitionState {
  const latest = new Map<string, StateRow>();
  for (const r of rows) latest.set(`${r.kind}|${r.bucket}|${r.item}`, r);
  const s = state(key);
  for (const r of latest.values()) if (r.value) s.load(r);
  return s;
}
const pairs = (s: PartitionState) => {
  const out: Record<string, number> = {};
  for (const tables of s.coViews.days.values()) {
    for (const [aircraft, table] of tables) for (const [partner, e] of table) if (aircraft < partner) out[pairKey(aircraft, partner)] = (out[pairKey(aircraft, partner)] ?? 0) + e.count;
  }
  return out;
};

describe('co-views: pairs of aircraft the same visitor viewed the same day', () => {
  it('counts each pair once per visitor-day, whatever the order or repeats', () => {
    const s = state();
    visit(s, 'v1', 'o1', T0, ['concorde', 'a380', 'concorde', 'spitfire', 'a380']);
    // Another page kind, or a view without an aircraft, makes no pair.
    s.apply(activityAt('v1', T0 + HOUR, { page: 'list', from: 'o1' }), T0 + DAY);
    expect(pairs(s)).toEqual({ [pairKey('a380', 'concorde')]: 1, [pairKey('concorde', 'spitfire')]: 1, [pairKey('a380', 'spitfire')]: 1 });
    // Another visitor, and the same visitor the next day, count again.
    visit(s, 'v2', 'o2', T0, ['spitfire', 'concorde']);
    visit(s, 'v1', 'o1', T0 + DAY, ['a380', 'concorde']);
    expect(pairs(s)[pairKey('concorde', 'spitfire')]).toBe(2);
    expect(pairs(s)[pairKey('a380', 'concorde')]).toBe(2);
  });

  it(`remembers at most ${MAX_AIRCRAFT_PER_VISITOR_DAY} aircraft per visitor-day: a crawler's day yields a bounded number of pairs`, () => {
    const s = state();
    visit(s, 'crawler', 'o1', T0, Array.from({ length: 100 }, (_, i) => `aircraft-${i}`));
    expect(Object.keys(pairs(s))).toHaveLength((MAX_AIRCRAFT_PER_VISITOR_DAY * (MAX_AIRCRAFT_PER_VISITOR_DAY - 1)) / 2);
    expect(Object.keys(pairs(s)).some((p) => p.includes(`aircraft-${MAX_AIRCRAFT_PER_VISITOR_DAY}`))).toBe(false);
  });

  it('drops a visitor-day set once its day has closed (keeping yesterday for late views), and its rows with it', () => {
    const s = state();
    const day0 = Math.floor(T0 / DAY) * DAY;
    visit(s, 'v1', 'o1', day0 + HOUR, ['concorde']);
    s.nextOffset = '1';
    expect(s.commit('0').filter((r) => r.kind === 'visitday' && r.value)).toHaveLength(1);
    // Next day: yesterday's set is still open; a late view of yesterday pairs with it.
    visit(s, 'v2', 'o2', day0 + DAY + HOUR, ['a380']);
    s.apply(activityAt('v1', day0 + 2 * HOUR, { page: 'aircraft', aircraft: 'spitfire', from: 'o1' }), day0 + 2 * DAY);
    expect(pairs(s)[pairKey('concorde', 'spitfire')]).toBe(1);
    s.nextOffset = '3';
    s.commit('1');
    expect(s.visitorDaySets).toBe(2);
    // Two days later day 0 is closed: its sets and their rows go, its pairs stay counted.
    visit(s, 'v3', 'o3', day0 + 2 * DAY + HOUR, ['b-52']);
    s.nextOffset = '4';
    const rows = s.commit('3');
    expect(rows.filter((r) => r.kind === 'visitday' && r.value === null).map((r) => [r.bucket, r.item])).toEqual([
      [day0 / DAY, '0'],
      [day0 / DAY, '1'],
    ]);
    expect(s.visitorDaySets).toBe(2);
    // A view on the closed day pairs with nothing (its set is gone); it is still an activity view.
    s.apply(activityAt('v1', day0 + 3 * HOUR, { page: 'aircraft', aircraft: 'b-52', from: 'o1' }), day0 + 3 * DAY);
    expect(pairs(s)[pairKey('b-52', 'concorde')]).toBeUndefined();
  });

  it('drops pair days past the retention, as it does views', () => {
    const s = state();
    visit(s, 'v1', 'o1', T0, ['concorde', 'a380']);
    s.nextOffset = '2';
    s.commit('0');
    visit(s, 'v2', 'o2', T0 + 32 * DAY, ['spitfire', 'a380']);
    s.nextOffset = '4';
    const rows = s.commit('2');
    expect(rows.some((r) => r.kind === 'coviews' && r.value === null && r.bucket === Math.floor((T0 + 60_000) / DAY))).toBe(true);
    expect(pairs(s)).toEqual({ [pairKey('a380', 'spitfire')]: 1 });
  });

  it('restores from its rows: the same pairs, and the open visitor-day sets keep pairing', () => {
    const s = state();
    const rows: StateRow[] = [];
    visit(s, 'v1', 'o1', T0, ['concorde', 'a380']);
    s.nextOffset = '2';
    rows.push(...s.commit('0'));
    visit(s, 'v2', 'o2', T0, ['concorde', 'spitfire']);
    s.nextOffset = '4';
    rows.push(...s.commit('2'));
    const restored = restore(rows);
    expect(pairs(restored)).toEqual(pairs(s));
    expect(alsoViewed([restored], 1)).toEqual(alsoViewed([s], 1));
    // v1's day is remembered: a third aircraft pairs with both earlier ones, and a repeat with none.
    for (const target of [s, restored]) visit(target, 'v1', 'o1', T0 + HOUR, ['b-52', 'a380']);
    expect(pairs(restored)).toEqual(pairs(s));
    expect(pairs(restored)[pairKey('b-52', 'concorde')]).toBe(1);
    expect(pairs(restored)[pairKey('a380', 'concorde')]).toBe(1);
  });
});

describe('"Visitors also viewed" in the snapshot', () => {
  it('publishes a pair only once k distinct origins viewed both, counting origins merged across partitions', () => {
    const [a, b] = [state('hangarstack.user.activity:0'), state('hangarstack.user.activity:1')];
    // concorde + a380: origins o1 (in both partitions: it counts once) and o2.
    visit(a, 'v1', 'o1', T0, ['concorde', 'a380']);
    visit(b, 'v2', 'o1', T0, ['a380', 'concorde']);
    visit(b, 'v3', 'o2', T0, ['concorde', 'a380']);
    // concorde + spitfire: ten visitors (user agents) behind one network are one origin.
    for (let i = 0; i < 10; i++) visit(i % 2 ? a : b, `w${i}`, 'one-network', T0, ['concorde', 'spitfire']);
    expect(alsoViewed([a, b], 3)).toEqual({});
    expect(alsoViewed([a, b], 2)).toEqual({ a380: ['concorde'], concorde: ['a380'] });
    visit(a, 'v4', 'o3', T0, ['spitfire', 'concorde']);
    // Ordered by distinct origins, not visitor-days: spitfire's 11 visitor-days (ten from one network) do not put it before a380's 3.
    expect(alsoViewed([a, b], 2)).toEqual({ a380: ['concorde'], concorde: ['a380', 'spitfire'], spitfire: ['concorde'] });
    // However the partitions are spread, the same lists.
    expect(alsoViewed([b, a], 2)).toEqual(alsoViewed([a, b], 2));
  });

  it('keeps the most co-viewed partners per aircraft, up to the published limit, and only the last 30 days', () => {
    const s = state();
    // hub is paired with p0..p9; pair p<i> is seen from i+1 origins.
    for (let i = 0; i < 10; i++) for (let o = 0; o <= i; o++) visit(s, `v${i}-${o}`, `o${o}`, T0 + 31 * DAY, ['hub', `p${i}`]);
    visit(s, 'old1', 'x1', T0, ['hub', 'gone']);
    visit(s, 'old2', 'x2', T0, ['hub', 'gone']);
    const lists = alsoViewed([s], 1) ?? {};
    expect(lists.hub).toEqual(['p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2']);
    expect(lists.p0).toEqual(['hub']);
    expect(lists.gone).toBeUndefined();
  });
});
