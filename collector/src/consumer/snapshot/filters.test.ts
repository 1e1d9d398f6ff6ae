import { describe, expect, it } from 'vitest';
import { PartitionState } from '../state/partition-state.ts';
import type { StateRow } from '../state/rows.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { DAY, HOUR, T0, searchAt } from '../../../test/support/records.ts';

const state = (key: string) => new PartitionState(key, { dedupHours: 24, maxVisitorsPerOrigin: 3 });
const snapshot = (states: PartitionState[], k: number) => buildSnapshot(states, { kAnonymity: k, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0) });
const fighters70s = { role: ['fighter'], era: ['1970s'] };

describe('the ops report: search filters', () => {
  it('lists a filter combination only once k distinct origins used it, in any order of choosing, merging origins across partitions', () => {
    const [a, b] = [state('hangarstack.search.queries:0'), state('hangarstack.search.queries:1')];
    const now = T0 + 10 * DAY;
    a.apply(searchAt('mig', 'v1', now, { filters: fighters70s, from: 'o1' }), now);
    b.apply(searchAt('f-15', 'v2', now - HOUR, { filters: { era: ['1970s'], role: ['fighter'] }, from: 'o1' }), now);
    b.apply(searchAt('', 'v3', now - 2 * HOUR, { filters: fighters70s, results: 40, from: 'o2' }), now);
    // Ten visitors behind one network are one origin.
    for (let i = 0; i < 10; i++) a.apply(searchAt('', `w${i}`, now, { filters: { country: ['france'] }, from: 'one-network' }), now);
    // A click reports the result, not a new use of the filters.
    a.apply(searchAt('mig', 'v4', now, { filters: fighters70s, clicked: 'mig-25', from: 'o4' }), now);

    expect(snapshot([a, b], 3).report.filterCombinations).toEqual([]);
    expect(snapshot([a, b], 2).report.filterCombinations).toEqual([{ filters: { role: ['fighter'], era: ['1970s'] }, searches: 3, zeroResults: 0, origins: 2 }]);
    expect(snapshot([a, b], 1).report.filterCombinations.map((c) => c.filters)).toEqual([{ role: ['fighter'], era: ['1970s'] }, { country: ['france'] }]);
  });

  it('lists zero-result queries per filter value past k origins, never one that looks like personal data', () => {
    const s = state('hangarstack.search.queries:0');
    const now = T0 + 10 * DAY;
    for (const o of ['o1', 'o2']) {
      s.apply(searchAt('tomcat', o, now, { filters: fighters70s, results: 0, from: o }), now);
      s.apply(searchAt('jane@example.org', o, now, { filters: fighters70s, results: 0, from: o }), now);
    }
    s.apply(searchAt('harrier', 'o3', now, { filters: { role: ['fighter'] }, results: 0, from: 'o3' }), now);
    // Found something: not a content gap.
    s.apply(searchAt('phantom', 'o1', now, { filters: fighters70s, results: 2, from: 'o1' }), now);
    s.apply(searchAt('phantom', 'o2', now, { filters: fighters70s, results: 2, from: 'o2' }), now);

    const report = snapshot([s], 2).report;
    expect(report.zeroResultsByFilter).toEqual([
      { facet: 'role', value: 'fighter', queries: [{ query: 'tomcat', searches: 2, origins: 2 }] },
      { facet: 'era', value: '1970s', queries: [{ query: 'tomcat', searches: 2, origins: 2 }] },
    ]);
    expect(report.filterCombinations).toEqual([{ filters: fighters70s, searches: 6, zeroResults: 4, origins: 2 }]);
  });

  it('keeps filter-only searches out of the query lists, and counts the last 30 days only', () => {
    const s = state('hangarstack.search.queries:0');
    const now = T0 + 40 * DAY;
    for (const o of ['o1', 'o2']) {
      s.apply(searchAt('', o, now, { filters: { country: ['japan'] }, results: 0, from: o }), now);
      s.apply(searchAt('', o, now - 31 * DAY, { filters: { country: ['italy'] }, from: o }), now);
    }
    const { popularity, report } = snapshot([s], 2);
    expect(popularity.searches.top).toEqual([]);
    expect(report.zeroResults).toEqual([]);
    expect(report.zeroResultsByFilter).toEqual([]);
    expect(report.filterCombinations).toEqual([{ filters: { country: ['japan'] }, searches: 2, zeroResults: 2, origins: 2 }]);
  });

  it('stores filter usage as rows and reloads it to the same report', () => {
    const s = state('hangarstack.search.queries:0');
    const now = T0 + 10 * DAY;
    for (const o of ['o1', 'o2', 'o3']) s.apply(searchAt('tomcat', o, now, { filters: fighters70s, results: 0, from: o }), now);
    const rows: StateRow[] = s.commit('0');
    expect(rows.filter((r) => r.kind === 'filters')).toHaveLength(1);
    const restored = state('hangarstack.search.queries:0');
    for (const r of rows) restored.load(r);
    expect(snapshot([restored], 3).report).toEqual(snapshot([s], 3).report);
    expect(snapshot([restored], 3).report.zeroResultsByFilter).toHaveLength(2);
  });
});
