import type { AircraftPopularity } from '@hangarstack/shared';
import { HOUR_MS, type PartitionState } from '../state/partition-state.ts';
import type { AircraftHour } from '../state/aircraft-hour.ts';
import { SketchUnion } from '../state/sketch.ts';
import { HOURS_PER_DAY, type ClosedDays } from './closed-days.ts';

/** The rolling windows, in hours, that the snapshot reports. */
export const WINDOWS = { h24: 24, d7: 168, d30: 720 } as const;

/** Whether an hour bucket lies in the last `hours` hours up to and including `asOfHour`. */
export const inWindow = (asOfHour: number, hour: number, hours: number): boolean => hour > asOfHour - hours && hour <= asOfHour;

/** The hour (since the epoch) the windows end at: that of the newest event any partition has seen. */
export const asOfHourOf = (asOf: number): number => Math.floor(asOf / HOUR_MS);

export interface AircraftWindows {
  /** Views and distinct visitors per window; rank and trending are filled in later. */
  aircraft: Map<string, AircraftPopularity>;
  /** Per aircraft, distinct visitors on each of the last 7 days (index 0 = the day ending at asOf). */
  dailyVisitors: Map<string, number[]>;
}

interface Accumulator {
  views: { h24: number; d7: number; d30: number };
  /**
   * The aircraft's hour sketches of days 0–6 back from asOf (0 is the h24 window), as (hour, slot)
   * pairs flattened: a packed hour's sketch is counted from its bytes, not unpacked.
   */
  days: (AircraftHour | number)[][];
  /** Its hour sketches of days 7–29 not in a cached closed day, as (hour, slot) pairs. */
  older: (AircraftHour | number)[];
  /** Its unions of cached closed days, as (packed bytes, offset) pairs. */
  closed: (Uint8Array | number)[];
}

const RECENT_DAYS = WINDOWS.d7 / HOURS_PER_DAY;

/**
 * Counts, for every aircraft with a view in the last 30 days, its views and distinct visitors in
 * each window, as the union of its hour sketches across hours and partitions (a visitor seen in two
 * hours or partitions counts once): the 24-hour window is day 0, 7 days the union of days 0–6, 30
 * days that and the older hours. Unions are counted in place (`SketchUnion`): a publish reads each
 * hour sketch's entries and allocates no merged sketches. With `closedDays`, the whole UTC days
 * older than the 7-day window come from its cache (one union per aircraft and day, counted again
 * only when the day changed), so a publish costs the last week's hours, not the month's.
 */
export function aircraftWindows(states: readonly PartitionState[], asOfHour: number, closedDays?: ClosedDays): AircraftWindows {
  const merged = new Map<string, Accumulator>();
  const of = (slug: string): Accumulator => {
    let acc = merged.get(slug);
    if (!acc) merged.set(slug, (acc = { views: { h24: 0, d7: 0, d30: 0 }, days: Array.from({ length: RECENT_DAYS }, () => []), older: [], closed: [] }));
    return acc;
  };
  // Whole UTC days inside the 30-day window and before the 7-day one (none without a cache).
  const firstClosed = Math.ceil((asOfHour - WINDOWS.d30 + 1) / HOURS_PER_DAY);
  const lastClosed = closedDays ? Math.floor((asOfHour - WINDOWS.d7 + 1) / HOURS_PER_DAY) - 1 : firstClosed - 1;
  for (const state of states) {
    for (const [hour, slugs] of state.aircraft) {
      if (!inWindow(asOfHour, hour, WINDOWS.d30)) continue;
      const absoluteDay = Math.floor(hour / HOURS_PER_DAY);
      if (absoluteDay >= firstClosed && absoluteDay <= lastClosed) continue;
      const day = Math.floor((asOfHour - hour) / HOURS_PER_DAY);
      for (let slot = 0; slot < slugs.size; slot++) {
        const acc = of(slugs.slugAt(slot));
        const views = slugs.viewsAt(slot);
        acc.views.d30 += views;
        if (day < RECENT_DAYS) {
          acc.views.d7 += views;
          if (day === 0) acc.views.h24 += views;
          acc.days[day]?.push(slugs, slot);
        } else acc.older.push(slugs, slot);
      }
    }
  }
  const day = new SketchUnion();
  const all = new SketchUnion();
  if (closedDays) {
    closedDays.prune(firstClosed);
    for (let d = firstClosed; d <= lastClosed; d++) {
      const totals = closedDays.totals(states, d, all);
      for (let i = 0; i < totals.slugs.length; i++) {
        const acc = of(totals.slugs[i] as string);
        acc.views.d30 += totals.views[i] as number;
        acc.closed.push(totals.unions, totals.offsets[i] as number);
      }
    }
  }
  const aircraft = new Map<string, AircraftPopularity>();
  const dailyVisitors = new Map<string, number[]>();
  for (const [slug, acc] of merged) {
    if (acc.views.d30 === 0) continue;
    const daily: number[] = [];
    for (let d = 0; d < RECENT_DAYS; d++) {
      const pairs = acc.days[d] as (AircraftHour | number)[];
      for (let i = 0; i < pairs.length; i += 2) {
        const hour = pairs[i] as AircraftHour;
        const slot = pairs[i + 1] as number;
        hour.unionInto(slot, all);
        hour.unionInto(slot, day);
      }
      daily.push(day.count());
      day.clear();
    }
    const d7 = all.count();
    for (let i = 0; i < acc.older.length; i += 2) (acc.older[i] as AircraftHour).unionInto(acc.older[i + 1] as number, all);
    for (let i = 0; i < acc.closed.length; i += 2) all.addPacked(acc.closed[i] as Uint8Array, acc.closed[i + 1] as number);
    aircraft.set(slug, { views: acc.views, visitors: { h24: daily[0] ?? 0, d7, d30: all.count() }, trending: 0, rank: null });
    dailyVisitors.set(slug, daily);
    all.clear();
  }
  return { aircraft, dailyVisitors };
}
