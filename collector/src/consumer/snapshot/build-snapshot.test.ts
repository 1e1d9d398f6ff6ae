import { describe, expect, it } from 'vitest';
import { PartitionState } from '../state/partition-state.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { DAY, HOUR, T0, searchAt, viewAt } from '../../../test/support/records.ts';

const state = (key: string) => new PartitionState(key, { dedupHours: 1, maxVisitorsPerOrigin: 3 });
const snapshot = (states: PartitionState[], kAnonymity = 2) => buildSnapshot(states, { kAnonymity, kind: 'kafka', generatedAt: new Date(T0) });

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
});
