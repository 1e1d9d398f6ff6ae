import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, activityAt, viewAt } from '../../../test/support/records.ts';
import type { Catalogue } from '../catalogue.ts';
import { PartitionState } from '../state/partition-state.ts';
import { buildSnapshot } from './build-snapshot.ts';

const state = (key: string) => new PartitionState(key, { dedupHours: 24, maxVisitorsPerOrigin: 3 });
const catalogue: Catalogue = new Map([
  ['concorde', { manufacturer: 'aerospatiale-bac', roles: ['airliner'], firstFlight: '1969-03-02' }],
  ['a380', { manufacturer: 'airbus', roles: ['airliner'], firstFlight: '2005-04-27' }],
  ['a400m', { manufacturer: 'airbus', roles: ['transport'], firstFlight: '2009-12-11' }],
  ['mystery', { manufacturer: 'airbus', roles: ['transport'], firstFlight: undefined }],
]);
const facets = (states: PartitionState[], k: number) =>
  buildSnapshot(states, { kAnonymity: k, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0), catalogue }).popularity.facets;

/** A view as the collector writes it: to the views topic (keyed by aircraft) and to user activity (keyed by visitor). */
function view(views: PartitionState, activity: PartitionState, aircraft: string, who: string, from: string, at: number): void {
  views.apply(viewAt(aircraft, who, at, undefined, from), at + HOUR);
  activity.apply(activityAt(who, at, { page: 'aircraft', aircraft, from }), at + HOUR);
}

describe('popular manufacturers, roles and eras', () => {
  it('counts distinct capped visitors over a facet’s aircraft, listed only past k distinct origins', () => {
    const views = state('hangarstack.aircraft.views:0');
    const [act0, act1] = [state('hangarstack.user.activity:0'), state('hangarstack.user.activity:1')];
    const now = T0 + 10 * DAY;
    // Airbus: v1 views both its aircraft (one visitor for Airbus), v2 and v3 from other networks.
    view(views, act0, 'a380', 'v1', 'o1', now);
    view(views, act0, 'a400m', 'v1', 'o1', now);
    view(views, act1, 'a400m', 'v2', 'o2', now);
    view(views, act1, 'a380', 'v3', 'o3', now);
    // Concorde: ten user agents from one network: at most 3 count (the per-origin cap), one origin.
    for (let i = 0; i < 10; i++) view(views, i % 2 ? act0 : act1, 'concorde', `w${i}`, 'one-network', now);

    const k3 = facets([views, act0, act1], 3);
    expect(k3?.manufacturers).toEqual([{ id: 'airbus', visitors: 3 }]);
    // Airliners: origins o1, o3 and the network; transports only o1 and o2.
    expect(k3?.roles).toEqual([{ id: 'airliner', visitors: 5 }]);
    expect(k3?.eras).toEqual([{ id: '2000s', visitors: 3 }]);

    const k2 = facets([views, act0, act1], 2);
    // The capped network outnumbers Airbus's visitors for airliners, but not for the manufacturer list.
    expect(k2?.roles).toEqual([
      { id: 'airliner', visitors: 5 },
      { id: 'transport', visitors: 2 },
    ]);
    expect(k2?.manufacturers).toEqual([{ id: 'airbus', visitors: 3 }]);
    view(views, act0, 'concorde', 'u1', 'o9', now);
    expect(facets([views, act0, act1], 2)?.manufacturers).toEqual([
      { id: 'aerospatiale-bac', visitors: 4 },
      { id: 'airbus', visitors: 3 },
    ]);
    expect(facets([views, act0, act1], 2)?.eras).toEqual([
      { id: '1960s', visitors: 4 },
      { id: '2000s', visitors: 3 },
    ]);
  });

  it('keeps the last 7 days, skips an unknown era and aircraft the catalogue does not know', () => {
    const views = state('hangarstack.aircraft.views:0');
    const act = state('hangarstack.user.activity:0');
    const now = T0 + 20 * DAY;
    view(views, act, 'a380', 'old1', 'x1', now - 8 * DAY);
    view(views, act, 'a380', 'old2', 'x2', now - 8 * DAY);
    view(views, act, 'mystery', 'n1', 'y1', now);
    view(views, act, 'mystery', 'n2', 'y2', now);
    view(views, act, 'removed-aircraft', 'n3', 'y3', now);
    const result = facets([views, act], 2);
    expect(result).toEqual({ manufacturers: [{ id: 'airbus', visitors: 2 }], roles: [{ id: 'transport', visitors: 2 }], eras: [] });
  });
});
