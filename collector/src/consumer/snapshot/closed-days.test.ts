import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { PartitionState } from '../state/partition-state.ts';
import type { EventRecord } from '@hangarstack/shared';
import type { StateRow } from '../state/rows.ts';
import { DAY, HOUR, T0, viewAt } from '../../../test/support/records.ts';
import { ClosedDays } from './closed-days.ts';
import { aircraftWindows, asOfHourOf, type AircraftWindows } from './windows.ts';


const options = { dedupHours: 1, maxVisitorsPerOrigin: 3 };
const plain = (w: AircraftWindows) => ({ aircraft: Object.fromEntries(w.aircraft), daily: Object.fromEntries(w.dailyVisitors) });

/** A partition whose committed rows are kept, so it can be reloaded as the engine does (a fresh state from its rows). */
class Partition {
  state: PartitionState;
  readonly #rows = new Map<string, StateRow>();
  readonly key: string;
  constructor(key: string) {
    this.key = key;
    this.state = new PartitionState(key, options);
  }
  commit(batch: number): void {
    for (const row of this.state.commit(String(batch))) this.#rows.set(`${row.kind}|${row.bucket}|${row.item}`, row);
  }
  reload(): void {
    this.state = new PartitionState(this.key, options);
    for (const row of this.#rows.values()) this.state.load(row);
  }
  /** Another member applied `records` and stored them; this one loads its rows (as from the changelog), told of nothing else. */
  remote(records: readonly EventRecord[], now: number, batch: number): void {
    const other = new PartitionState(this.key, options);
    for (const row of this.#rows.values()) other.load(row);
    for (const record of records) other.apply(record, now);
    for (const row of other.commit(String(batch))) {
      this.#rows.set(`${row.kind}|${row.bucket}|${row.item}`, row);
      this.state.load(row);
    }
  }
}

describe('ClosedDays (cached closed-day unions in aircraftWindows)', () => {
  it.each([1, 2, 3])('gives what counting every hour gives, after each step of a random stream (seed %i)', (seed) => {
    const next = seededRandom(seed);
    const partitions = ['views:0', 'views:1', 'views:2'].map((key) => new Partition(key));
    const closed = new ClosedDays();
    const slugs = ['concorde', 'f-16', 'boeing-747-400', 'spitfire', 'a380'];
    let clock = T0;
    let cachedAtMost = 0;
    let batch = 0;
    for (let step = 0; step < 120; step++) {
      clock += Math.floor(next() * 9 * HOUR);
      for (let i = 0; i < 60; i++) {
        const partition = partitions[Math.floor(next() * partitions.length)] as Partition;
        // Mostly now, some late by up to 30 days (reopening packed hours of cached days), a few too old.
        const late = next();
        const at = late < 0.75 ? clock - Math.floor(next() * 2 * HOUR) : late < 0.97 ? clock - Math.floor(next() * 30 * DAY) : clock - 40 * DAY;
        const record = viewAt(slugs[Math.floor(next() * slugs.length)] as string, `v${Math.floor(next() * 400)}`, at, undefined, `o${Math.floor(next() * 40)}`);
        // What the engine does for every view it applies.
        closed.changed(Math.floor(record.receivedAt / HOUR));
        partition.state.apply(record, clock);
      }
      for (const p of partitions) p.commit(batch++);
      // Now and then a partition is reloaded from its rows (a rebalance or a failed batch): new objects, same content.
      if (next() < 0.1) (partitions[Math.floor(next() * partitions.length)] as Partition).reload();
      // Now and then another member's rows for a partition arrive, with late views in closed days.
      if (next() < 0.1) {
        const late = Array.from({ length: 10 }, () => viewAt(slugs[Math.floor(next() * slugs.length)] as string, `r${Math.floor(next() * 400)}`, clock - Math.floor((8 + next() * 20) * DAY)));
        (partitions[Math.floor(next() * partitions.length)] as Partition).remote(late, clock, batch++);
      }
      const states = partitions.map((p) => p.state);
      const asOfHour = asOfHourOf(Math.max(...states.map((s) => s.watermark)));
      expect(plain(aircraftWindows(states, asOfHour, closed))).toEqual(plain(aircraftWindows(states, asOfHour)));
      cachedAtMost = Math.max(cachedAtMost, closed.size);
    }
    // The cache was used: most of the 23 closed days of a full window were held at some point.
    expect(cachedAtMost).toBeGreaterThan(15);
  });

  it('counts a day again after a late view changed it', () => {
    const s = new PartitionState('views:0', options);
    const closed = new ClosedDays();
    const now = T0 + 20 * DAY;
    for (const who of ['a', 'b']) s.apply(viewAt('concorde', who, T0), now);
    s.apply(viewAt('concorde', 'z', now), now);
    s.commit('0');
    const before = aircraftWindows([s], asOfHourOf(now), closed).aircraft.get('concorde');
    expect(before?.visitors.d30).toBe(3);
    const late = viewAt('concorde', 'c', T0 + HOUR);
    closed.changed(Math.floor(late.receivedAt / HOUR));
    s.apply(late, now);
    s.commit('1');
    expect(aircraftWindows([s], asOfHourOf(now), closed).aircraft.get('concorde')?.visitors.d30).toBe(4);
  });
});
