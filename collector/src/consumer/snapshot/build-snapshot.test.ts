import { describe, expect, it } from 'vitest';
import { PartitionState } from '../state/partition-state.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { DAY, HOUR, T0, searchAt, viewAt } from '../../../test/support/records.ts';

const state = (key: string) => new PartitionState(key, { dedupHours: 1, maxVisitorsPerOrigin: 3 });
const snapshot = (states: PartitionState[], kAnonymity = 2) => buildSnapshot(states, { kAnonymity, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0) });

describe('PartitionState', () => {
  it('counts views and distinct visitors per rolling window', () => {
    const s = state('views:0');
    const now = T0 + 40 * DAY;
    for (const [who, at] of [['a', now], ['a', now - HOUR], ['b', now - 2 * DAY], ['c', now - 10 * DAY], ['d', now - 29 * DAY]] as const) {
      expect(s.apply(viewAt('concorde', who, at), now)).toBe('applied');
    }
    const c = snapshot([s]).popularity.aircraft.concorde;
    expect(c?.views).toEqual({ h24: 2, d7: 3, d30: 5 });
    expect(c?.visitors).toEqual({ h24: 1, d7: 2, d30: 4 });
  });

  it('drops duplicates by event id, too-old and future events, and counts each', () => {
    const s = state('views:0');
    const now = T0 + 60 * DAY;
    const first = viewAt('concorde', 'a', now);
    expect(s.apply(first, now)).toBe('applied');
    expect(s.apply({ ...first }, now)).toBe('duplicate');
    expect(s.apply(viewAt('concorde', 'b', now - 32 * DAY), now)).toBe('too_old');
    expect(s.apply(viewAt('concorde', 'c', now + HOUR), now)).toBe('future');
    expect(snapshot([s]).popularity.aircraft.concorde?.views.d30).toBe(1);
  });

  it('puts late and out-of-order events in the right hour bucket', () => {
    const inOrder = state('views:0');
    const shuffled = state('views:0');
    const now = T0 + 10 * DAY;
    const events = [viewAt('a380', 'a', now - 3 * DAY), viewAt('a380', 'b', now - 20 * HOUR), viewAt('a380', 'c', now)];
    for (const e of events) inOrder.apply(e, now);
    for (const e of [events[2], events[0], events[1]]) if (e) shuffled.apply(e, now);
    expect(snapshot([shuffled]).popularity).toEqual(snapshot([inOrder]).popularity);
  });
});

describe('buildSnapshot', () => {
  it('ranks by distinct visitors, not raw hits, so one client cannot game it', () => {
    const s = state('views:0');
    for (let i = 0; i < 50; i++) s.apply(viewAt('spammed', 'one-client', T0 + i), T0 + DAY);
    for (const who of ['a', 'b', 'c']) s.apply(viewAt('liked', who, T0), T0 + DAY);
    const { popularity } = snapshot([s]);
    expect(popularity.popular).toEqual(['liked', 'spammed']);
    expect(popularity.aircraft.spammed?.rank).toBe(2);
  });

  it('scores trending against the aircraft own baseline, smoothed', () => {
    const s = state('views:0');
    const now = T0 + 10 * DAY;
    for (let day = 1; day <= 6; day++) for (const who of ['a', 'b', 'c', 'd']) s.apply(viewAt('steady', `${who}${day}`, now - day * DAY), now);
    for (const who of ['a', 'b', 'c', 'd']) s.apply(viewAt('steady', `${who}0`, now), now);
    for (const who of ['w', 'x', 'y', 'z']) s.apply(viewAt('rising', who, now), now);
    s.apply(viewAt('single', 'q', now), now);
    const { popularity } = snapshot([s]);
    expect(popularity.aircraft.steady?.trending).toBe(0);
    expect(popularity.aircraft.rising?.trending).toBe(2);
    expect(popularity.trending).toEqual(['rising']);
  });

  it('publishes a query only at or above the k-anonymity floor, with click-through and zero results in the report', () => {
    const s = state('searches:0');
    for (const who of ['a', 'b', 'c']) s.apply(searchAt('spitfire', who, T0), T0);
    s.apply(searchAt('spitfire', 'a', T0, { clicked: 'supermarine-spitfire-mk-ix' }), T0);
    for (const who of ['a', 'b']) s.apply(searchAt('rare query', who, T0), T0);
    for (const who of ['a', 'b', 'c']) s.apply(searchAt('hovercraft', who, T0, { results: 0 }), T0);
    const { popularity, report } = snapshot([s], 3);
    expect(popularity.searches.top.map((q) => q.query)).toEqual(['hovercraft', 'spitfire']);
    expect(popularity.searches.top.find((q) => q.query === 'spitfire')).toEqual({ query: 'spitfire', searches: 3, visitors: 3, clickThrough: 0.333 });
    expect(report.zeroResults).toEqual([{ query: 'hovercraft', searches: 3, visitors: 3 }]);
  });

  it('gives the same snapshot however the partitions are split across members', () => {
    const events = ['concorde', 'a380', 'b747', 'concorde', 'a380', 'concorde'].map((slug, i) => viewAt(slug, `v${i % 4}`, T0 + i * HOUR));
    const partitionOf = (slug: string) => (slug === 'concorde' ? 0 : slug === 'a380' ? 1 : 2);
    const states = [0, 1, 2].map((p) => state(`views:${p}`));
    for (const e of events) if (e.type === 'view') states[partitionOf(e.aircraft)]?.apply(e, T0 + DAY);
    states.forEach((s, p) => (s.nextOffset = String(10 + p)));
    // A member merges the aggregates it holds with the ones others wrote to the changelog (a
    // round trip through rows); every split, in any order, must give one snapshot.
    const persisted = (s: PartitionState) => {
      const copy = state(s.key);
      for (const row of s.commit('0')) if (row.value) copy.load(row);
      return copy;
    };
    const [p0, p1, p2] = states as [PartitionState, PartitionState, PartitionState];
    const [r0, r1, r2] = states.map(persisted) as [PartitionState, PartitionState, PartitionState];
    const splits = [
      [p0, r1, r2],
      [r0, p1, p2],
      [p2, r0, r1],
      [r2, r1, r0],
    ];
    const expected = snapshot(states).popularity;
    expect(expected.popular).toEqual(['concorde', 'a380', 'b747']);
    expect(expected.source.offsets).toEqual({ 'views:0': '10', 'views:1': '11', 'views:2': '12' });
    for (const split of splits) expect(snapshot(split).popularity).toEqual(expected);
  });

  it('counts at most 3 visitors per origin per aircraft per day toward ranks, trending and buckets; views all count', () => {
    const s = state('views:0');
    const now = T0 + 10 * DAY;
    // One address, 1,000 user agents (visitors), one obscure aircraft.
    for (let i = 0; i < 1_000; i++) s.apply(viewAt('obscure', `sybil${i}`, now - i, undefined, 'one-address'), now);
    // Five real visitors from five addresses.
    for (const who of ['a', 'b', 'c', 'd', 'e']) s.apply(viewAt('liked', who, now), now);
    // A household: three browsers behind one address, all counted.
    for (const who of ['h1', 'h2', 'h3']) s.apply(viewAt('family', who, now, undefined, 'home'), now);
    const { popularity } = snapshot([s]);
    expect(popularity.aircraft.obscure?.visitors).toEqual({ h24: 3, d7: 3, d30: 3 });
    expect(popularity.aircraft.obscure?.views.d7).toBe(1_000);
    expect(popularity.aircraft.family?.visitors.d7).toBe(3);
    expect(popularity.popular.indexOf('liked')).toBeLessThan(popularity.popular.indexOf('obscure'));
    // One origin alone never makes a trend, however many user agents it has.
    expect(popularity.trending).toEqual(['liked']);
  });

  it('breaks a tie in visitors by 30-day visitors, never by (uncapped) views', () => {
    const s = state('views:0');
    for (let i = 0; i < 500; i++) s.apply(viewAt('zz-bought', `s${i}`, T0, undefined, 'bot-farm'), T0);
    for (const who of ['a', 'b', 'c']) s.apply(viewAt('aa-honest', who, T0), T0);
    const { popularity } = snapshot([s]);
    expect(popularity.aircraft['zz-bought']?.visitors.d7).toBe(3);
    expect(popularity.popular).toEqual(['aa-honest', 'zz-bought']);
  });

  it('counts origins for the k-anonymity floor: k visitors from one origin never publish a query, k origins do', () => {
    const s = state('searches:0');
    for (const who of ['a', 'b', 'c', 'd', 'e']) s.apply(searchAt('secret thing', who, T0, { from: 'one-address' }), T0);
    for (const who of ['a', 'b', 'c']) s.apply(searchAt('harrier', who, T0), T0);
    for (const who of ['a', 'b', 'c', 'd', 'e']) s.apply(searchAt('nothing here', who, T0, { results: 0, from: 'one-address' }), T0);
    const { popularity, report } = snapshot([s], 3);
    expect(popularity.searches.top.map((q) => q.query)).toEqual(['harrier']);
    expect(report.zeroResults).toEqual([]);
  });

  it('never publishes a query that looks like personal data, however many origins searched it', () => {
    const s = state('searches:0');
    for (const query of ['jane.doe@example.com', '+44 20 7946 0958', 'https://example.com/x', 'concorde']) {
      for (const who of ['a', 'b', 'c', 'd']) s.apply(searchAt(query, who, T0, { results: query === 'concorde' ? 3 : 0 }), T0);
    }
    const { popularity, report } = snapshot([s], 3);
    expect(popularity.searches.top.map((q) => q.query)).toEqual(['concorde']);
    expect(report.zeroResults).toEqual([]);
  });
});
