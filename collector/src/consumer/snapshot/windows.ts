import type { AircraftPopularity } from '@hangarstack/shared';
import { HOUR_MS, type PartitionState } from '../partition-state.ts';

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

/**
 * Counts, for every aircraft with a view in the last 30 days, its views and distinct visitors in
 * each window, merging hour buckets across partitions (a visitor seen in two partitions counts once).
 */
export function aircraftWindows(states: readonly PartitionState[], asOfHour: number): AircraftWindows {
  const aircraft = new Map<string, AircraftPopularity>();
  const dailyVisitors = new Map<string, number[]>();
  for (const [slug, buckets] of mergeAircraftBuckets(states)) {
    const views = { h24: 0, d7: 0, d30: 0 };
    const visitorSets = { h24: new Set<string>(), d7: new Set<string>(), d30: new Set<string>() };
    const days: Set<string>[] = Array.from({ length: 7 }, () => new Set<string>());
    for (const [hour, bucket] of buckets) {
      for (const window of ['h24', 'd7', 'd30'] as const) {
        if (!inWindow(asOfHour, hour, WINDOWS[window])) continue;
        views[window] += bucket.views;
        for (const v of bucket.visitors) visitorSets[window].add(v);
      }
      const day = Math.floor((asOfHour - hour) / 24);
      if (day >= 0 && day < 7) for (const v of bucket.visitors) days[day]?.add(v);
    }
    if (views.d30 === 0) continue;
    aircraft.set(slug, {
      views,
      visitors: { h24: visitorSets.h24.size, d7: visitorSets.d7.size, d30: visitorSets.d30.size },
      trending: 0,
      rank: null,
    });
    dailyVisitors.set(slug, days.map((d) => d.size));
  }
  return { aircraft, dailyVisitors };
}

function mergeAircraftBuckets(states: readonly PartitionState[]) {
  const merged = new Map<string, Map<number, { views: number; visitors: Set<string> }>>();
  for (const state of states) {
    for (const [slug, buckets] of state.aircraft) {
      const target = merged.get(slug) ?? new Map<number, { views: number; visitors: Set<string> }>();
      merged.set(slug, target);
      for (const [hour, b] of buckets) {
        const t = target.get(hour) ?? { views: 0, visitors: new Set<string>() };
        t.views += b.views;
        for (const v of b.visitors) t.visitors.add(v);
        target.set(hour, t);
      }
    }
  }
  return merged;
}
