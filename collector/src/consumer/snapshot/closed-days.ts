import { AircraftDay, HOURS_PER_DAY } from '../state/aircraft-day.ts';
import { AircraftHour } from '../state/aircraft-hour.ts';
import type { PartitionState } from '../state/partition-state.ts';
import type { SketchUnion } from '../state/sketch.ts';
import { ByteWriter } from '../state/varint.ts';

/** One whole UTC day of event time over every partition: per aircraft, its views and its visitors' union. */
export interface DayTotals {
  slugs: readonly string[];
  views: readonly number[];
  /** Per aircraft (same index), where its packed union starts in `unions` (`SketchUnion.addPacked` reads it). */
  offsets: readonly number[];
  unions: Uint8Array;
}

type Source = PartitionState | AircraftDay | AircraftHour | undefined;

interface Cached extends DayTotals {
  /** The partitions and their day and hour objects it was counted from (a fold, a reload or a restored row replaces them). */
  sources: readonly Source[];
}

/**
 * Each aircraft's union over a whole UTC day, kept between publishes. The 30-day window's days
 * before the 7-day one do not change while the stream moves on (their hours are packed and no
 * record reaches them), yet every publish counted each of their hour sketches again: 23 days of
 * (partition, hour, aircraft) buckets for what one cached union per aircraft and day gives.
 *
 * A day is counted afresh when a record was applied to one of its hours (`changed`, told by the
 * engine for every view it applies: `PartitionState.apply` is the only change to an hour in place,
 * a late view reopening a packed hour included), or when the set of partitions or any of its hour
 * objects differs (a reload or a row restored from the changelog replaces them).
 * Unions are register-wise maxima, so a cached day's union added to a window counts exactly what
 * its hours added one by one would.
 */
export class ClosedDays {
  readonly #days = new Map<number, Cached>();

  /** Days held (tests check that the cache is used). */
  get size(): number {
    return this.#days.size;
  }

  /** A record was applied to `hour` (event time, in hours since the epoch). */
  changed(hour: number): void {
    if (this.#days.size > 0) this.#days.delete(Math.floor(hour / HOURS_PER_DAY));
  }

  /** Day `day`'s totals over `states`, from the cache while it holds. `union` is scratch space. */
  totals(states: readonly PartitionState[], day: number, union: SketchUnion): DayTotals {
    const sources: Source[] = [];
    for (const state of states) {
      sources.push(state, state.aircraftDays.get(day));
      for (let hour = day * HOURS_PER_DAY; hour < (day + 1) * HOURS_PER_DAY; hour++) sources.push(state.aircraft.get(hour));
    }
    const cached = this.#days.get(day);
    if (cached && cached.sources.length === sources.length && cached.sources.every((s, i) => s === sources[i])) return cached;
    const totals = { ...countDay(sources, union), sources };
    this.#days.set(day, totals);
    return totals;
  }

  /** Forgets days before `oldest` (the window has left them). */
  prune(oldest: number): void {
    for (const day of this.#days.keys()) if (day < oldest) this.#days.delete(day);
  }
}

function countDay(sources: readonly Source[], union: SketchUnion): DayTotals {
  const bySlug = new Map<string, { views: number; pairs: (AircraftHour | AircraftDay | number)[] }>();
  for (const source of sources) {
    if (!(source instanceof AircraftHour || source instanceof AircraftDay)) continue;
    for (let slot = 0; slot < source.size; slot++) {
      const slug = source.slugAt(slot);
      let entry = bySlug.get(slug);
      if (!entry) bySlug.set(slug, (entry = { views: 0, pairs: [] }));
      entry.views += source instanceof AircraftDay ? source.viewsIn(slot, 0, HOURS_PER_DAY - 1) : source.viewsAt(slot);
      entry.pairs.push(source, slot);
    }
  }
  const slugs: string[] = [];
  const views: number[] = [];
  const offsets: number[] = [];
  const out = new ByteWriter();
  for (const [slug, { views: n, pairs }] of bySlug) {
    union.clear();
    for (let i = 0; i < pairs.length; i += 2) {
      const source = pairs[i] as AircraftHour | AircraftDay;
      if (source instanceof AircraftDay) source.unionInto(pairs[i + 1] as number, union, 0, HOURS_PER_DAY - 1);
      else source.unionInto(pairs[i + 1] as number, union);
    }
    slugs.push(slug);
    views.push(n);
    offsets.push(out.length);
    union.packInto(out);
  }
  union.clear();
  return { slugs, views, offsets, unions: out.finish() };
}
