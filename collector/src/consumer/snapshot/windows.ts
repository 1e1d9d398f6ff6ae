import type { AircraftPopularity } from '@hangarstack/shared';
import { HOUR_MS, type PartitionState } from '../state/partition-state.ts';
import type { AircraftHour } from '../state/aircraft-hour.ts';
import { SketchUnion } from '../state/sketch.ts';

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
   * The aircraft's hour sketches in the window, by day back from asOf (0 is the h24 window), as
   * (hour, slot) pairs flattened: a packed hour's sketch is counted from its bytes, not unpacked.
   */
  days: (AircraftHour | number)[][];
}

const DAYS = WINDOWS.d30 / 24;

/**
 * Counts, for every aircraft with a view in the last 30 days, its views and distinct visitors in
 * each window, as the union of its hour sketches across hours and partitions (a visitor seen in two
 * hours or partitions counts once): the 24-hour window is day 0, 7 days the union of days 0–6, 30
 * days that and the older days. Unions are counted in place (`SketchUnion`): a publish reads each
 * hour sketch's entries and allocates no merged sketches.
 */
export function aircraftWindows(states: readonly PartitionState[], asOfHour: number): AircraftWindows {
  const merged = new Map<string, Accumulator>();
  for (const state of states) {
    for (const [hour, slugs] of state.aircraft) {
      if (!inWindow(asOfHour, hour, WINDOWS.d30)) continue;
      const day = Math.floor((asOfHour - hour) / 24);
      for (let slot = 0; slot < slugs.size; slot++) {
        const slug = slugs.slugAt(slot);
        const views = slugs.viewsAt(slot);
        let acc = merged.get(slug);
        if (!acc) merged.set(slug, (acc = { views: { h24: 0, d7: 0, d30: 0 }, days: Array.from({ length: DAYS }, () => []) }));
        acc.views.d30 += views;
        if (day < 7) acc.views.d7 += views;
        if (day === 0) acc.views.h24 += views;
        acc.days[day]?.push(slugs, slot);
      }
    }
  }
  const aircraft = new Map<string, AircraftPopularity>();
  const dailyVisitors = new Map<string, number[]>();
  const day = new SketchUnion();
  const all = new SketchUnion();
  for (const [slug, acc] of merged) {
    if (acc.views.d30 === 0) continue;
    const daily: number[] = [];
    let d7 = 0;
    for (let d = 0; d < DAYS; d++) {
      const pairs = acc.days[d] as (AircraftHour | number)[];
      for (let i = 0; i < pairs.length; i += 2) {
        const hour = pairs[i] as AircraftHour;
        const slot = pairs[i + 1] as number;
        hour.unionInto(slot, all);
        if (d < 7) hour.unionInto(slot, day);
      }
      if (d < 7) {
        daily.push(day.count());
        day.clear();
      }
      if (d === 6) d7 = all.count();
    }
    aircraft.set(slug, { views: acc.views, visitors: { h24: daily[0] ?? 0, d7, d30: all.count() }, trending: 0, rank: null });
    dailyVisitors.set(slug, daily);
    all.clear();
  }
  return { aircraft, dailyVisitors };
}
