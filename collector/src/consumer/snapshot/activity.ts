import type { PartitionState } from '../state/partition-state.ts';
import { Sketch } from '../state/sketch.ts';
import { WINDOWS, inWindow } from './windows.ts';

export interface ActivityTotals {
  referrers: { host: string; visits: number; origins: number }[];
  entryPages: { page: string; visits: number; origins: number }[];
}

/** How many of each list the ops report keeps. */
const LIMIT = 50;

/**
 * Top referrer hosts and entry pages of the last 7 days for the ops report. Activity is keyed by
 * visitor, so one host's visits are spread over partitions: their origin sketches are merged
 * (an origin seen in two partitions counts once), and an item is reported only when at least
 * `k` distinct origins (client networks) produced it: one network cannot put a host on the list,
 * and a rare referrer cannot point at a person.
 */
export function activityTotals(states: readonly PartitionState[], asOfHour: number, k: number): ActivityTotals {
  const merged = new Map<string, { visits: number; origins: Sketch }>();
  for (const state of states) {
    for (const [hour, items] of state.activity) {
      if (!inWindow(asOfHour, hour, WINDOWS.d7)) continue;
      for (const [item, bucket] of items) {
        let total = merged.get(item);
        if (!total) merged.set(item, (total = { visits: 0, origins: new Sketch() }));
        total.visits += bucket.visits;
        total.origins.merge(bucket.origins);
      }
    }
  }
  const list = (prefix: string) =>
    [...merged]
      .filter(([item]) => item.startsWith(prefix))
      .map(([item, t]) => ({ name: item.slice(prefix.length), visits: t.visits, origins: t.origins.count() }))
      .filter((t) => t.origins >= k)
      .sort((a, b) => b.origins - a.origins || b.visits - a.visits || a.name.localeCompare(b.name))
      .slice(0, LIMIT);
  return {
    referrers: list('ref:').map(({ name, visits, origins }) => ({ host: name, visits, origins })),
    entryPages: list('entry:').map(({ name, visits, origins }) => ({ page: name, visits, origins })),
  };
}
