import { POPULARITY_SCHEMA_VERSION, popularitySchema, type AircraftPopularity, type Popularity, type SearchQueryStat } from '@hangarstack/shared';
import { HOUR_MS, type PartitionState } from './partition-state.ts';

const WINDOWS = { h24: 24, d7: 168, d30: 720 } as const;
/** Additive smoothing for trending: a handful of visitors cannot make a spike. */
const TRENDING_PRIOR = 2;
const TOP_QUERIES = 50;

export interface SearchReport {
  schema: 1;
  generatedAt: string;
  asOf: number;
  kAnonymity: number;
  /** Queries that found nothing (content gaps), above the k-anonymity floor. */
  zeroResults: { query: string; searches: number; visitors: number }[];
}

/**
 * Merges every partition's state into the popularity snapshot. Deterministic: the same states
 * give the same snapshot (but for `generatedAt`), however the partitions were spread across
 * consumer-group members, because windows end at the newest event time (`asOf`), not the clock.
 */
export function buildSnapshot(
  states: readonly PartitionState[],
  options: { kAnonymity: number; kind: 'kafka' | 'embedded'; generatedAt: Date },
): { popularity: Popularity; report: SearchReport } {
  const asOf = Math.max(0, ...states.map((s) => s.watermark));
  const asOfHour = Math.floor(asOf / HOUR_MS);
  const inWindow = (hour: number, hours: number) => hour > asOfHour - hours && hour <= asOfHour;

  const aircraft: Record<string, AircraftPopularity> = {};
  const daily = new Map<string, number[]>();
  for (const [slug, buckets] of mergeAircraft(states)) {
    const views = { h24: 0, d7: 0, d30: 0 };
    const visitorSets = { h24: new Set<string>(), d7: new Set<string>(), d30: new Set<string>() };
    const days: Set<string>[] = Array.from({ length: 7 }, () => new Set<string>());
    for (const [hour, bucket] of buckets) {
      for (const window of ['h24', 'd7', 'd30'] as const) {
        if (!inWindow(hour, WINDOWS[window])) continue;
        views[window] += bucket.views;
        for (const v of bucket.visitors) visitorSets[window].add(v);
      }
      const day = Math.floor((asOfHour - hour) / 24);
      if (day >= 0 && day < 7) for (const v of bucket.visitors) days[day]?.add(v);
    }
    if (views.d30 === 0) continue;
    aircraft[slug] = {
      views,
      visitors: { h24: visitorSets.h24.size, d7: visitorSets.d7.size, d30: visitorSets.d30.size },
      trending: 0,
      rank: null,
    };
    daily.set(slug, days.map((d) => d.size));
  }

  const ranked = Object.entries(aircraft)
    .filter(([, a]) => a.visitors.d7 > 0)
    .sort(([sa, a], [sb, b]) => b.visitors.d7 - a.visitors.d7 || b.views.d7 - a.views.d7 || sa.localeCompare(sb));
  ranked.forEach(([, a], i) => (a.rank = i + 1));

  for (const [slug, days] of daily) {
    const [today = 0, ...before] = days;
    const baseline = before.reduce((sum, n) => sum + n, 0) / before.length;
    const entry = aircraft[slug];
    if (entry) entry.trending = Math.round(((today + TRENDING_PRIOR) / (baseline + TRENDING_PRIOR) - 1) * 1000) / 1000;
  }
  const trending = Object.entries(aircraft)
    .filter(([, a]) => a.trending > 0 && a.visitors.h24 >= 2)
    .sort(([sa, a], [sb, b]) => b.trending - a.trending || b.visitors.h24 - a.visitors.h24 || sa.localeCompare(sb))
    .map(([slug]) => slug);

  const queries = mergeQueries(states, (hour) => inWindow(hour, WINDOWS.d30));
  const top: SearchQueryStat[] = [...queries]
    .filter(([, q]) => q.visitors.size >= options.kAnonymity && q.searches + q.clicks > 0)
    .sort(([qa, a], [qb, b]) => b.visitors.size - a.visitors.size || b.searches - a.searches || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q]) => ({
      query,
      searches: q.searches,
      visitors: q.visitors.size,
      clickThrough: q.searches === 0 ? 1 : Math.min(1, Math.round((q.clicks / q.searches) * 1000) / 1000),
    }));
  const zeroResults = [...queries]
    .filter(([, q]) => q.zeroResults > 0 && q.zeroVisitors.size >= options.kAnonymity)
    .sort(([qa, a], [qb, b]) => b.zeroVisitors.size - a.zeroVisitors.size || qa.localeCompare(qb))
    .slice(0, TOP_QUERIES)
    .map(([query, q]) => ({ query, searches: q.zeroResults, visitors: q.zeroVisitors.size }));

  const generatedAt = options.generatedAt.toISOString();
  const popularity = popularitySchema.parse({
    schema: POPULARITY_SCHEMA_VERSION,
    generatedAt,
    asOf,
    aircraft: Object.fromEntries(Object.entries(aircraft).sort(([a], [b]) => a.localeCompare(b))),
    popular: ranked.map(([slug]) => slug),
    trending,
    searches: { kAnonymity: options.kAnonymity, top },
    source: { kind: options.kind, offsets: Object.fromEntries(states.map((s) => [s.key, s.nextOffset]).sort(([a], [b]) => String(a).localeCompare(String(b)))) },
  });
  return { popularity, report: { schema: 1, generatedAt, asOf, kAnonymity: options.kAnonymity, zeroResults } };
}

function mergeAircraft(states: readonly PartitionState[]) {
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

function mergeQueries(states: readonly PartitionState[], keep: (hour: number) => boolean) {
  const merged = new Map<string, { searches: number; clicks: number; zeroResults: number; visitors: Set<string>; zeroVisitors: Set<string> }>();
  for (const state of states) {
    for (const [query, buckets] of state.queries) {
      const q = merged.get(query) ?? { searches: 0, clicks: 0, zeroResults: 0, visitors: new Set<string>(), zeroVisitors: new Set<string>() };
      merged.set(query, q);
      for (const [hour, b] of buckets) {
        if (!keep(hour)) continue;
        q.searches += b.searches;
        q.clicks += b.clicks;
        q.zeroResults += b.zeroResults;
        for (const v of b.visitors) q.visitors.add(v);
        if (b.zeroResults > 0) for (const v of b.visitors) q.zeroVisitors.add(v);
      }
    }
  }
  return merged;
}
