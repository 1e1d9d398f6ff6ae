import { seededRandom } from '@hangarstack/testing/seeded-random';
import { describe, expect, it } from 'vitest';
import { DAY, T0, activityAt } from '../../../test/support/records.ts';
import { buildSnapshot } from '../snapshot/build-snapshot.ts';
import { CO_VIEW_SHARDS, CoViewDays, MAX_PARTNERS_PER_AIRCRAFT_DAY, addPartner, type PartnerTable } from './co-view-partners.ts';
import { pairKey } from './co-views.ts';
import { PartitionState } from './partition-state.ts';
import type { StateRow } from './rows.ts';

const M = MAX_PARTNERS_PER_AIRCRAFT_DAY;
const state = (key = 'hangarstack.user.activity:0') => new PartitionState(key, { dedupHours: 24, maxVisitorsPerOrigin: 3 });
const alsoViewed = (states: PartitionState[], k: number) =>
  buildSnapshot(states, { kAnonymity: k, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0 + 3 * DAY) }).popularity.alsoViewed ?? {};
/** One visitor (`who`, from network `from`) viewing these aircraft pages in order, a minute apart. */
function visit(s: PartitionState, who: string, from: string, at: number, aircraft: string[]): void {
  aircraft.forEach((slug, i) => s.apply(activityAt(who, at + i * 60_000, { page: 'aircraft', aircraft: slug, from }), at + 4 * DAY));
}
function restore(rows: readonly StateRow[], key: string): PartitionState {
  const latest = new Map<string, StateRow>();
  for (const r of rows) latest.set(`${r.kind}|${r.bucket}|${r.item}`, r);
  const s = state(key);
  for (const r of latest.values()) if (r.value) s.load(r);
  return s;
}
const largestTable = (s: PartitionState) => Math.max(0, ...[...s.coViews.days.values()].flatMap((tables) => [...tables.values()].map((t) => t.size)));
describe('co-view partner tables: bounded per aircraft per day (Space-Saving)', () => {
  it('holds at most aircraft × days × M entries on an adversarial stream of unique pairs', () => {
    const s = state();
    const aircraft = Array.from({ length: 120 }, (_, i) => `aircraft-${i}`);
    let visitors = 0;
    const rows: StateRow[] = [];
    for (let day = 0; day < 3; day++) {
      // Every one of the 7,140 pairs once a day, each from its own visitor and one network per pair.
      for (let i = 0; i < aircraft.length; i++) {
        for (let j = i + 1; j < aircraft.length; j++) visit(s, `v${visitors++}`, `o${i}-${j}`, T0 + day * DAY, [aircraft[i] as string, aircraft[j] as string]);
      }
      s.nextOffset = String(visitors);
      rows.push(...s.commit(String(day)));
    }
    expect(largestTable(s)).toBe(M);
    expect(s.coViews.entries).toBeLessThanOrEqual(aircraft.length * 3 * M);
    // The stored rows are the same bounded tables: per day one row per shard, never one per pair.
    const restored = restore(rows, s.key);
    expect(restored.coViews.entries).toBe(s.coViews.entries);
    expect(rows.filter((r) => r.kind === 'coviews' && r.value).length).toBeLessThanOrEqual(3 * CO_VIEW_SHARDS);
    // Nothing there reached k = 2 origins: every pair was seen once.
    expect(alsoViewed([s], 2)).toEqual({});
  });

  it('keeps a real popular pair through noise, and publishes it once k origins viewed it', () => {
    const s = state();
    // One visitor in six views hub + star (each from their own network); the others hub + a unique aircraft.
    for (let i = 0; i < 600; i++) {
      if (i % 6 === 0) visit(s, `fan${i}`, `fan-net${i}`, T0 + i * 1000, ['hub', 'star']);
      else visit(s, `noise${i}`, `noise-net${i}`, T0 + i * 1000, ['hub', `noise-${i}`]);
    }
    expect(largestTable(s)).toBe(M);
    const lists = alsoViewed([s], 5);
    expect(lists).toEqual({ hub: ['star'], star: ['hub'] });
  });

  it('an evicting partner inherits the count, not the origins: eviction never publishes a pair below k', () => {
    const table: PartnerTable = new Map();
    for (const o of ['o1', 'o2', 'o3', 'o4', 'o5']) addPartner(table, 'popular', o, 2);
    for (let i = 0; i < 6; i++) addPartner(table, 'other', 'one-network', 2);
    addPartner(table, 'late', 'lone', 2);
    expect([...table.keys()].sort()).toEqual(['late', 'other']);
    expect(table.get('late')?.count).toBe(6);
    expect(table.get('late')?.origins.count()).toBe(1);

    // Through the state and the snapshot: hub's table is full of partners seen from 5 networks;
    // a partner viewed once evicts one and takes its count, yet is listed only at k = 1.
    const s = state();
    for (let p = 0; p < M; p++) for (let o = 0; o < 5; o++) visit(s, `v${p}-${o}`, `o${o}`, T0, ['hub', `p${p}`]);
    visit(s, 'once', 'lone-net', T0, ['hub', 'zz-late']);
    expect(s.coViews.days.get(Math.floor(T0 / DAY))?.get('hub')?.has('zz-late')).toBe(true);
    expect(alsoViewed([s], 5).hub).not.toContain('zz-late');
    expect(alsoViewed([s], 5)['zz-late']).toBeUndefined();
    expect(alsoViewed([s], 1)['zz-late']).toEqual(['hub']);
  });

  it('never publishes a pair that fewer than k origins viewed, on a random skewed stream with tiny tables', () => {
    const next = seededRandom(17);
    const exact = new Map<string, Set<string>>();
    const s = state();
    for (let v = 0; v < 4000; v++) {
      const origin = `net${Math.floor(next() * 300)}`;
      // Zipf-like: low indexes are far more likely.
      const pages = Array.from({ length: 2 + Math.floor(next() * 4) }, () => `a${Math.floor(80 * next() ** 3)}`);
      const unique = [...new Set(pages)];
      for (let i = 0; i < unique.length; i++) {
        for (let j = 0; j < i; j++) {
          const key = pairKey(unique[i] as string, unique[j] as string);
          if (!exact.has(key)) exact.set(key, new Set());
          exact.get(key)?.add(origin);
        }
      }
      visit(s, `v${v}`, origin, T0 + Math.floor(next() * 2) * DAY + v * 1000, unique);
    }
    expect(largestTable(s)).toBe(M);
    const k = 12;
    const lists = alsoViewed([s], k);
    expect(Object.keys(lists).length).toBeGreaterThan(10);
    for (const [a, partners] of Object.entries(lists)) for (const b of partners) expect(exact.get(pairKey(a, b))?.size ?? 0).toBeGreaterThanOrEqual(k);
  });

  it('gives the same lists however visitors are spread over partitions and states are merged, and after a restore', () => {
    const next = seededRandom(5);
    const visits = Array.from({ length: 3000 }, (_, v) => ({
      who: `v${v}`,
      from: `net${Math.floor(next() * 200)}`,
      at: T0 + v * 1000,
      pages: [...new Set(Array.from({ length: 2 + Math.floor(next() * 3) }, () => `a${Math.floor(60 * next() ** 3)}`))],
    }));
    const spread = (n: number) => {
      const states = Array.from({ length: n }, (_, p) => state(`hangarstack.user.activity:${p}`));
      for (const v of visits) visit(states[Number(v.who.slice(1)) % n] as PartitionState, v.who, v.from, v.at, v.pages);
      return states;
    };
    const one = spread(1);
    const three = spread(3);
    expect(largestTable(one[0] as PartitionState)).toBe(M);
    const expected = alsoViewed(three, 3);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(alsoViewed([...three].reverse(), 3)).toEqual(expected);
    expect(alsoViewed([three[1], three[2], three[0]] as PartitionState[], 3)).toEqual(expected);
    // Restored from its rows, a partition keeps evicting exactly as the live one does.
    const live = state();
    const rows: StateRow[] = [];
    visits.slice(0, 1500).forEach((v) => visit(live, v.who, v.from, v.at, v.pages));
    live.nextOffset = '1500';
    rows.push(...live.commit('0'));
    const restored = restore(rows, live.key);
    for (const target of [live, restored]) visits.slice(1500).forEach((v) => visit(target, v.who, v.from, v.at, v.pages));
    expect(alsoViewed([restored], 3)).toEqual(alsoViewed([live], 3));
    expect(alsoViewed([restored], 1)).toEqual(alsoViewed([live], 1));
    expect(alsoViewed([live], 3)).toEqual(alsoViewed(one, 3));
  });

  it('deletes per-hour pair rows of the earlier format on restore', () => {
    const days = new CoViewDays();
    expect(days.load(490_000, '', new Uint8Array([1]))).toBe(false);
    const s = state();
    s.load({ partition: s.key, kind: 'coviews', bucket: 490_000, item: '', value: new Uint8Array([1]) });
    const rows = s.commit('0');
    expect(rows.filter((r) => r.kind === 'coviews')).toEqual([{ partition: s.key, kind: 'coviews', bucket: 490_000, item: '', value: null }]);
  });
});
