import type { AircraftPopularity } from '@hangarstack/shared';
import { HOUR_MS, type PartitionState } from '../state/partition-state.ts';
import { HOURS_PER_DAY, type AircraftDay } from '../state/aircraft-day.ts';
import type { AircraftHour } from '../state/aircraft-hour.ts';
import { SketchUnion } from '../state/sketch.ts';
import type { ClosedDays } from './closed-days.ts';

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
   * The aircraft's sketches of days 0–6 back from asOf (0 is the h24 window) and of the older
   * days: hours as (hour, slot) pairs and folded days as (day, slot, first hour, last hour of the
   * day) quadruples, flattened: packed bytes are counted in place, not unpacked.
   */
  hours: (AircraftHour | number)[][];
  days: (AircraftDay | number)[][];
  /** Its unions of cached closed days, as (packed bytes, offset) pairs. */
  closed: (Uint8Array | number)[];
}

const RECENT_DAYS = WINDOWS.d7 / HOURS_PER_DAY;
/** Index of the older days' lists in `Accumulator.hours` / `days` (after the recent days'). */
const OLDER = RECENT_DAYS;

/**
 * Counts, for every aircraft with a view in the last 30 days, its views and distinct visitors in
 * each window, as the union of its sketches across hours, days and partitions (a visitor seen in
 * two hours or partitions counts once): the 24-hour window is day 0, 7 days the union of days 0–6,
 * 30 days that and the older ones. Older days are folded per UTC day (aircraft-day.ts) and read
 * from the hour the 30-day window starts at, so a fold changes no count. Unions are counted in
 * place (`SketchUnion`): a publish reads each sketch's entries and allocates no merged sketches.
 * With `closedDays`, the whole UTC days older than the 7-day window come from its cache (one union
 * per aircraft and day, counted again only when the day changed), so a publish costs the last
 * week's hours and the 30-day window's first day, not the month's.
 */
export function aircraftWindows(states: readonly PartitionState[], asOfHour: number, closedDays?: ClosedDays): AircraftWindows {
  const merged = new Map<string, Accumulator>();
  const of = (slug: string): Accumulator => {
    let acc = merged.get(slug);
    if (!acc) {
      const lists = () => Array.from({ length: RECENT_DAYS + 1 }, () => []);
      merged.set(slug, (acc = { views: { h24: 0, d7: 0, d30: 0 }, hours: lists(), days: lists(), closed: [] }));
    }
    return acc;
  };
  const count = (acc: Accumulator, day: number, views: number) => {
    acc.views.d30 += views;
    if (day < RECENT_DAYS) acc.views.d7 += views;
    if (day === 0) acc.views.h24 += views;
  };
  const first30 = asOfHour - WINDOWS.d30 + 1;
  // Whole UTC days inside the 30-day window and before the 7-day one (none without a cache).
  const firstClosed = Math.ceil(first30 / HOURS_PER_DAY);
  const lastClosed = closedDays ? Math.floor((asOfHour - WINDOWS.d7 + 1) / HOURS_PER_DAY) - 1 : firstClosed - 1;
  const cached = (absoluteDay: number) => absoluteDay >= firstClosed && absoluteDay <= lastClosed;
  for (const state of states) {
    for (const [hour, slugs] of state.aircraft) {
      if (!inWindow(asOfHour, hour, WINDOWS.d30) || cached(Math.floor(hour / HOURS_PER_DAY))) continue;
      const day = Math.min(Math.floor((asOfHour - hour) / HOURS_PER_DAY), OLDER);
      for (let slot = 0; slot < slugs.size; slot++) {
        const acc = of(slugs.slugAt(slot));
        count(acc, day, slugs.viewsAt(slot));
        acc.hours[day]?.push(slugs, slot);
      }
    }
    for (const [absoluteDay, slugs] of state.aircraftDays) {
      if (cached(absoluteDay)) continue;
      const start = absoluteDay * HOURS_PER_DAY;
      // The day's hours in the window, split where the days back from asOf change (a folded day
      // lies before the hourly windows, so normally one piece: older, from the 30-day start on).
      let to = Math.min(start + HOURS_PER_DAY - 1, asOfHour);
      const from = Math.max(start, first30);
      while (to >= from) {
        const day = Math.min(Math.floor((asOfHour - to) / HOURS_PER_DAY), OLDER);
        const low = day === OLDER ? from : Math.max(from, asOfHour - HOURS_PER_DAY * (day + 1) + 1);
        for (let slot = 0; slot < slugs.size; slot++) {
          const acc = of(slugs.slugAt(slot));
          count(acc, day, slugs.viewsIn(slot, low - start, to - start));
          acc.days[day]?.push(slugs, slot, low - start, to - start);
        }
        to = low - 1;
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
  const unionInto = (acc: Accumulator, d: number, union: SketchUnion) => {
    const hours = acc.hours[d] as (AircraftHour | number)[];
    for (let i = 0; i < hours.length; i += 2) (hours[i] as AircraftHour).unionInto(hours[i + 1] as number, union);
    const days = acc.days[d] as (AircraftDay | number)[];
    for (let i = 0; i < days.length; i += 4) (days[i] as AircraftDay).unionInto(days[i + 1] as number, union, days[i + 2] as number, days[i + 3] as number);
  };
  const aircraft = new Map<string, AircraftPopularity>();
  const dailyVisitors = new Map<string, number[]>();
  for (const [slug, acc] of merged) {
    if (acc.views.d30 === 0) continue;
    const daily: number[] = [];
    for (let d = 0; d < RECENT_DAYS; d++) {
      unionInto(acc, d, all);
      unionInto(acc, d, day);
      daily.push(day.count());
      day.clear();
    }
    const d7 = all.count();
    unionInto(acc, OLDER, all);
    for (let i = 0; i < acc.closed.length; i += 2) all.addPacked(acc.closed[i] as Uint8Array, acc.closed[i + 1] as number);
    aircraft.set(slug, { views: acc.views, visitors: { h24: daily[0] ?? 0, d7, d30: all.count() }, trending: 0, rank: null });
    dailyVisitors.set(slug, daily);
    all.clear();
  }
  return { aircraft, dailyVisitors };
}
