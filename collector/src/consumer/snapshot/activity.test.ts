import { describe, expect, it } from 'vitest';
import { PartitionState } from '../state/partition-state.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { DAY, HOUR, T0, activityAt } from '../../../test/support/records.ts';

const state = (key: string) => new PartitionState(key, { dedupHours: 24, maxVisitorsPerOrigin: 3 });
const report = (states: PartitionState[], k: number) => buildSnapshot(states, { kAnonymity: k, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0) }).report;

describe('the ops report: referrer hosts and entry pages from user activity', () => {
  it('reports a referrer host and an entry page only once k distinct origins sent them, merging origins across partitions', () => {
    const [a, b] = [state('hangarstack.user.activity:0'), state('hangarstack.user.activity:1')];
    const now = T0 + 10 * DAY;
    // news.example: origins o1 and o2 (o1 seen in both partitions: it counts once); blog.example: only o3.
    a.apply(activityAt('v1', now, { ref: 'news.example', entry: true, from: 'o1' }), now);
    b.apply(activityAt('v2', now - HOUR, { ref: 'news.example', entry: true, from: 'o1' }), now);
    b.apply(activityAt('v3', now - 2 * HOUR, { ref: 'news.example', entry: true, from: 'o2' }), now);
    a.apply(activityAt('v4', now, { ref: 'blog.example', entry: true, page: 'aircraft', aircraft: 'concorde', from: 'o3' }), now);
    // Many visitors behind one network still make one origin.
    for (let i = 0; i < 10; i++) a.apply(activityAt(`w${i}`, now, { ref: 'spam.example', entry: true, from: 'one-network' }), now);
    // Moving within the site: neither a referrer nor an entry.
    a.apply(activityAt('v1', now, { page: 'list' }), now);

    // k = 3: no host has 3 origins (ten visitors of one network are one); home has o1, o2 and that network.
    const k3 = report([a, b], 3);
    expect(k3.referrers).toEqual([]);
    expect(k3.entryPages).toEqual([{ page: 'home', visits: 13, origins: 3 }]);

    const k2 = report([a, b], 2);
    expect(k2.referrers).toEqual([{ host: 'news.example', visits: 3, origins: 2 }]);
    expect(k2.entryPages).toEqual([{ page: 'home', visits: 13, origins: 3 }]);

    b.apply(activityAt('v5', now, { ref: 'blog.example', entry: true, page: 'aircraft', aircraft: 'concorde', from: 'o5' }), now);
    expect(report([a, b], 2).entryPages).toContainEqual({ page: 'aircraft/concorde', visits: 2, origins: 2 });
    expect(report([a, b], 2).referrers.map((r) => r.host)).toEqual(['news.example', 'blog.example']); // same origins: more visits first
  });

  it('keeps only the last 7 days, and survives the store: rows written and loaded give the same report', () => {
    const s = state('hangarstack.user.activity:0');
    const now = T0 + 20 * DAY;
    s.apply(activityAt('old1', now - 8 * DAY, { ref: 'old.example', entry: true, from: 'x1' }), now);
    s.apply(activityAt('old2', now - 8 * DAY, { ref: 'old.example', entry: true, from: 'x2' }), now);
    s.apply(activityAt('n1', now, { ref: 'new.example', entry: true, from: 'y1' }), now);
    s.apply(activityAt('n2', now, { ref: 'new.example', entry: true, from: 'y2' }), now);
    s.nextOffset = '5';
    const rows = s.commit('0');
    expect(rows.filter((r) => r.kind === 'activity').length).toBe(2);
    const restored = state('hangarstack.user.activity:0');
    for (const row of rows) restored.load(row);
    expect(report([restored], 2)).toEqual(report([s], 2));
    expect(report([restored], 2).referrers).toEqual([{ host: 'new.example', visits: 2, origins: 2 }]);
  });
});
