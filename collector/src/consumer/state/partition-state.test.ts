import { describe, expect, it } from 'vitest';
import { newViewFields, readViewFields, viewRecordFromBytes, type EventRecord } from '@hangarstack/shared';
import { buildSnapshot } from '../snapshot/build-snapshot.ts';
import { HOUR, T0, viewAt, searchAt } from '../../../test/support/records.ts';
import { PartitionState, RETENTION_HOURS } from './partition-state.ts';
import { latestByKey, rowKey, type StateRow } from './rows.ts';

const options = { dedupHours: 1, maxVisitorsPerOrigin: 3 };
const popularity = (states: PartitionState[]) => buildSnapshot(states, { kAnonymity: 1, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(T0) }).popularity;

/** Replays stored rows (as SQLite or the changelog would hold them: last value per key) into a fresh state. */
function restore(key: string, rows: readonly StateRow[]): PartitionState {
  const state = new PartitionState(key, options);
  for (const r of latestByKey(rows, rowKey)) if (r.value) state.load(r);
  return state;
}

describe('PartitionState rows', () => {
  it('a batch stores only the hours it touched, plus its ids, its cap additions and the offset row last', () => {
    const s = new PartitionState('views:0', options);
    for (let h = 0; h < 5; h++) s.apply(viewAt('concorde', `v${h}`, T0 + h * HOUR), T0 + 5 * HOUR);
    s.nextOffset = '5';
    expect(s.commit('0').filter((r) => r.kind === 'views')).toHaveLength(5);
    s.apply(viewAt('concorde', 'late', T0 + 4 * HOUR + 1), T0 + 5 * HOUR);
    s.nextOffset = '6';
    const rows = s.commit('5');
    // The cap remembers the new visitor of its origin for the day, too.
    expect(rows.map((r) => r.kind)).toEqual(['views', 'seen', 'cap', 'offset']);
    expect(rows[0]?.bucket).toBe(Math.floor((T0 + 4 * HOUR) / HOUR));
  });

  it('restores from its rows to the same popularity, offset and de-duplication window', () => {
    const s = new PartitionState('views:0', options);
    const all: StateRow[] = [];
    const events: EventRecord[] = [];
    for (let i = 0; i < 300; i++) events.push(viewAt(i % 2 ? 'concorde' : 'a380', `v${i % 40}`, T0 + i * 60_000), searchAt(i % 3 ? 'spitfire' : 'b-52', `v${i % 7}`, T0 + i * 60_000, { results: i % 5 }));
    events.forEach((e, i) => {
      s.apply(e, T0 + 10 * HOUR);
      if (i % 50 === 49) {
        s.nextOffset = String(i + 1);
        all.push(...s.commit(String(i - 49)));
      }
    });
    const copy = restore('views:0', all);
    expect(copy.nextOffset).toBe(s.nextOffset);
    expect(copy.watermark).toBe(s.watermark);
    expect(popularity([copy])).toEqual(popularity([s]));
    const last = events.at(-1) as EventRecord;
    expect(copy.apply({ ...last }, T0 + 10 * HOUR)).toBe('duplicate');
  });

  it('keeps event ids only over the de-duplication window, and deletes their rows after it', () => {
    const s = new PartitionState('views:0', options);
    const early = viewAt('concorde', 'a', T0);
    s.apply(early, T0 + 10 * HOUR);
    const firstRows = s.commit('0');
    for (let h = 1; h <= 3; h++) s.apply(viewAt('concorde', `b${h}`, T0 + h * HOUR), T0 + 10 * HOUR);
    const rows = s.commit('1');
    expect(rows).toContainEqual({ partition: 'views:0', kind: 'seen', bucket: firstRows.find((r) => r.kind === 'seen')?.bucket, item: '0', value: null });
    expect(s.dedupSize).toBeLessThanOrEqual(2);
    // Past the window the same id is no longer recognised: duplicates come within minutes.
    expect(s.apply({ ...early }, T0 + 10 * HOUR)).toBe('applied');
  });

  it('stores seen ids as 8-byte hashes, and still reads the rows that held them as text', () => {
    const s = new PartitionState('views:0', options);
    const events = [viewAt('concorde', 'a', T0), viewAt('concorde', 'b', T0 + 1)];
    for (const e of events) s.apply(e, T0 + HOUR);
    const seen = s.commit('0').find((r) => r.kind === 'seen');
    expect(seen?.value?.byteLength).toBe(1 + 8 * events.length);
    const hour = Math.floor(T0 / HOUR);
    const legacy = new PartitionState('views:0', options);
    legacy.load({ partition: 'views:0', kind: 'seen', bucket: hour, item: '0', value: new TextEncoder().encode(events.map((e) => e.id).join('\n')) });
    const restored = new PartitionState('views:0', options);
    if (seen) restored.load(seen);
    for (const copy of [legacy, restored]) {
      expect(events.map((e) => copy.apply({ ...e }, T0 + HOUR))).toEqual(['duplicate', 'duplicate']);
      expect(copy.apply(viewAt('concorde', 'c', T0 + 2), T0 + HOUR)).toBe('applied');
    }
  });

  it('replaying its changelog (every row in order, before compaction) keeps only the windows the owner keeps', () => {
    const s = new PartitionState('views:0', options);
    const log: StateRow[] = [];
    const withOrigin = (i: number): EventRecord => ({ ...viewAt(i % 3 ? 'concorde' : 'a380', `v${i % 50}`, T0 + i * 10 * 60_000), origin: `o${i % 25}` });
    // Five days, a view every 10 minutes, a commit every 6 views.
    for (let i = 0; i < 720; i++) {
      s.apply(withOrigin(i), T0 + 6 * 24 * HOUR);
      if (i % 6 === 5) {
        s.nextOffset = String(i + 1);
        log.push(...s.commit(String(i - 5)));
      }
    }
    const copy = new PartitionState('views:0', options);
    for (const row of log) copy.load(row);
    expect(s.capDays).toBe(2);
    expect(copy.capDays).toBe(2);
    expect(copy.dedupSize).toBe(s.dedupSize);
    expect(popularity([copy])).toEqual(popularity([s]));
    // The restored member goes on exactly as the owner, and its first commit deletes nothing twice.
    const next = withOrigin(720);
    for (const state of [s, copy]) {
      state.apply({ ...next }, T0 + 6 * 24 * HOUR);
      state.nextOffset = '721';
    }
    expect(copy.commit('720').map((r) => [r.kind, r.bucket, r.value === null])).toEqual(s.commit('720').map((r) => [r.kind, r.bucket, r.value === null]));
    expect(popularity([copy])).toEqual(popularity([s]));
  });

  it('replaying its changelog batch by batch, each reduced to its latest rows (as the changelog reader does), gives what every row gives', () => {
    const s = new PartitionState('views:0', options);
    const log: StateRow[] = [];
    const withOrigin = (i: number): EventRecord => ({ ...viewAt(i % 3 ? 'concorde' : i % 7 ? 'a380' : 'dc-3', `v${i % 50}`, T0 + i * 10 * 60_000), origin: `o${i % 25}` });
    // Five days, a view every 10 minutes, a commit every 6 views: hour rows rewritten, ids and cap
    // rows added and deleted, slugs given ids, days folded, tombstones.
    for (let i = 0; i < 720; i++) {
      s.apply(withOrigin(i), T0 + 6 * 24 * HOUR);
      if (i % 6 === 5) {
        s.nextOffset = String(i + 1);
        log.push(...s.commit(String(i - 5)));
      }
    }
    const next = withOrigin(720);
    for (const size of [1, 37, 500, log.length]) {
      const expected = new PartitionState('views:0', options);
      for (const row of log) expected.load(row);
      const copy = new PartitionState('views:0', options);
      let loaded = 0;
      for (let at = 0; at < log.length; at += size) {
        const batch = latestByKey(log.slice(at, at + size), rowKey);
        loaded += batch.length;
        for (const row of batch) copy.load(row);
      }
      if (size > 1) expect(loaded).toBeLessThan(log.length);
      expect(copy.dedupSize).toBe(expected.dedupSize);
      expect(copy.capDays).toBe(expected.capDays);
      expect(popularity([copy])).toEqual(popularity([expected]));
      for (const state of [expected, copy]) {
        state.apply({ ...next }, T0 + 6 * 24 * HOUR);
        state.nextOffset = '721';
      }
      // The member goes on exactly as one that loaded every row: the same rows, byte for byte.
      expect(copy.commit('720')).toEqual(expected.commit('720'));
      expect(popularity([copy])).toEqual(popularity([expected]));
    }
  });

  it('drops hour buckets past the retention with a tombstone row', () => {
    const s = new PartitionState('views:0', options);
    s.apply(viewAt('concorde', 'a', T0), T0 + 40 * 24 * HOUR);
    s.commit('0');
    s.apply(viewAt('concorde', 'b', T0 + RETENTION_HOURS * HOUR), T0 + 40 * 24 * HOUR);
    const rows = s.commit('1');
    expect(rows).toContainEqual({ partition: 'views:0', kind: 'views', bucket: Math.floor(T0 / HOUR), item: '', value: null });
    expect(s.aircraft.size).toBe(1);
  });

  it('applies a view from its bytes (hashed there) exactly as the record they parse to: the same outcomes and rows, byte for byte', () => {
    const now = T0 + 60 * HOUR;
    const records: EventRecord[] = [];
    for (let i = 0; i < 600; i++) {
      const at = T0 + i * 5 * 60_000;
      // Visitors and origins as the collector's hex hashes (viewAt pads them), one origin crowded.
      const visitor = i % 4 === 0 ? `e${i.toString(16)}` : `b${(i % 70).toString(16)}`;
      const record = viewAt(['concorde', 'a380', 'spitfire'][i % 3] as string, visitor, at, undefined, i % 4 === 0 ? 'c0ffee' : visitor);
      records.push(record);
      // A retried event (the same id), a visitor who is their own origin (a version 1 record read as 2).
      if (i % 9 === 0) records.push({ ...record });
      if (i % 11 === 0) {
        const own = viewAt('concorde', `d${i.toString(16)}`, at);
        records.push({ ...own, origin: (own as { visitor: string }).visitor });
      }
    }
    records.push(viewAt('concorde', 'fe', now + HOUR), viewAt('concorde', 'ae', T0 - RETENTION_HOURS * HOUR));
    const counted: number[] = [];
    for (const maxVisitorsPerOrigin of [3, Number.POSITIVE_INFINITY]) {
      const fromRecords = new PartitionState('views:0', { ...options, maxVisitorsPerOrigin });
      const fromBytes = new PartitionState('views:0', { ...options, maxVisitorsPerOrigin });
      const fields = newViewFields();
      const outcomes: [string, string][] = [];
      const rows: [StateRow[], StateRow[]] = [[], []];
      records.forEach((record, i) => {
        const bytes = Buffer.from(JSON.stringify(record));
        expect(readViewFields(bytes, fields)).toBe(true);
        outcomes.push([fromRecords.apply(viewRecordFromBytes(bytes) as EventRecord, now), fromBytes.applyView(bytes, fields, now)]);
        if (i % 97 === 96) {
          rows[0].push(...fromRecords.commit(String(i)));
          rows[1].push(...fromBytes.commit(String(i)));
        }
      });
      rows[0].push(...fromRecords.commit('end'));
      rows[1].push(...fromBytes.commit('end'));
      expect(outcomes.map(([a]) => a)).toEqual(outcomes.map(([, b]) => b));
      // Every kind of outcome happened, and the cap remembered visitors when it was on.
      for (const outcome of ['applied', 'duplicate', 'future', 'too_old']) expect(outcomes.some(([a]) => a === outcome)).toBe(true);
      expect(rows[1].map((r) => [r.kind, r.bucket, r.item, r.value && Buffer.from(r.value).toString('hex')])).toEqual(rows[0].map((r) => [r.kind, r.bucket, r.item, r.value && Buffer.from(r.value).toString('hex')]));
      const visitors = popularity([fromBytes]).aircraft.concorde?.visitors.d30;
      expect(visitors).toBe(popularity([fromRecords]).aircraft.concorde?.visitors.d30);
      if (maxVisitorsPerOrigin === 3) expect(rows[1].some((r) => r.kind === 'cap')).toBe(true);
      counted.push(visitors as number);
    }
    // The crowded origin's visitors were refused with the cap on.
    expect(counted[0]).toBeLessThan(counted[1] as number);
  });

  it('counts at most 3 visitors per origin per aircraft per day toward visitors, but every view', () => {
    const s = new PartitionState('views:0', options);
    const withOrigin = (who: string, origin: string, i: number): EventRecord => ({ ...viewAt('obscure', who, T0 + i), origin });
    for (let i = 0; i < 200; i++) s.apply(withOrigin(`ua${i}`, 'one-network-hash', i), T0 + HOUR);
    for (const who of ['x', 'y']) s.apply(withOrigin(who, `home-${who}`, 500), T0 + HOUR);
    const p = popularity([s]).aircraft.obscure;
    expect(p?.views.h24).toBe(202);
    expect(p?.visitors.h24).toBe(5);
    // The cap's memory survives a restore, so a restarted member keeps capping.
    const copy = restore('views:0', s.commit('0'));
    copy.apply(withOrigin('ua-after-restart', 'one-network-hash', 600), T0 + HOUR);
    expect(popularity([copy]).aircraft.obscure?.visitors.h24).toBe(5);
  });

  it('caps records dated before yesterday per their own day too, across commits and a restore, and forgets that day later', () => {
    const s = new PartitionState('views:0', options);
    const now = T0 + 5 * 24 * HOUR;
    const late = T0 + 2 * 24 * HOUR; // a spool drained three days late
    const withOrigin = (who: string, origin: string, at: number): EventRecord => ({ ...viewAt('obscure', who, at), origin });
    s.apply(viewAt('concorde', 'today', now), now);
    for (let i = 0; i < 100; i++) s.apply(withOrigin(`ua${i}`, 'one-network-hash', late + i), now);
    const rows = s.commit('0');
    for (let i = 100; i < 200; i++) s.apply(withOrigin(`ua${i}`, 'one-network-hash', late + i), now);
    // A real visitor of another network, that day, still counts.
    s.apply(withOrigin('neighbour', 'another-network', late + 500), now);
    rows.push(...s.commit('100'));
    const at = (state: PartitionState) => buildSnapshot([state], { kAnonymity: 1, maxVisitorsPerOrigin: 3, kind: 'kafka', generatedAt: new Date(now) }).popularity.aircraft.obscure;
    expect(at(s)?.views.d7).toBe(201);
    expect(at(s)?.visitors.d7).toBe(4);
    const copy = restore('views:0', rows);
    copy.apply(withOrigin('ua-after-restart', 'one-network-hash', late + 900), now);
    expect(at(copy)?.visitors.d7).toBe(4);
    // The late day's cap goes once records that old are no longer accepted, with tombstone rows.
    s.apply(viewAt('concorde', 'much-later', late + RETENTION_HOURS * HOUR), late + RETENTION_HOURS * HOUR);
    const pruned = s.commit('202').filter((r) => r.kind === 'cap' && r.bucket === Math.floor(late / (24 * HOUR)));
    expect(pruned.length).toBeGreaterThan(0);
    expect(pruned.every((r) => r.value === null)).toBe(true);
  });
});
