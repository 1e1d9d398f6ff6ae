import type { EventRecord } from '@hangarstack/shared';

export const HOUR_MS = 3_600_000;
/** Windows reach back 30 days; one more day of buckets and ids covers late arrivals. */
export const RETENTION_HOURS = 31 * 24;
/** A collector clock this far ahead of ours is wrong, not early. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export type ApplyOutcome = 'applied' | 'duplicate' | 'too_old' | 'future';

interface AircraftBucket {
  views: number;
  visitors: Set<string>;
}
interface QueryBucket {
  searches: number;
  clicks: number;
  zeroResults: number;
  visitors: Set<string>;
}

/** What a partition's state looks like on disk (JSON). */
export interface PartitionStateJson {
  key: string;
  nextOffset: string;
  watermark: number;
  aircraft: Record<string, Record<string, [number, string[]]>>;
  queries: Record<string, Record<string, [number, number, number, string[]]>>;
  seen: [string, number][];
}

/**
 * The aggregate of one source partition: hour buckets per aircraft (views, distinct visitors)
 * and per query (searches, clicks, zero-result searches, distinct visitors), the event ids seen
 * (for de-duplication), and the next offset to read. Everything is keyed by event time
 * (`receivedAt`), so replaying the same records yields the same state, whatever the wall clock.
 *
 * Views are keyed by aircraft and searches by query, so every aircraft's and every query's
 * events live in exactly one partition: a partition's aggregates are complete on their own, and
 * merging partitions (see snapshot/windows.ts) never has to combine partial visitor sets.
 */
export class PartitionState {
  readonly key: string;
  nextOffset = '0';
  /** Highest event time applied: "now" for this partition's retention, independent of the clock. */
  watermark = 0;
  readonly aircraft = new Map<string, Map<number, AircraftBucket>>();
  readonly queries = new Map<string, Map<number, QueryBucket>>();
  readonly #seen = new Map<string, number>();

  constructor(key: string) {
    this.key = key;
  }

  get seenCount(): number {
    return this.#seen.size;
  }

  /** Applies one record; `now` is only used to refuse events from a clock in the future. */
  apply(record: EventRecord, now: number): ApplyOutcome {
    if (record.receivedAt > now + FUTURE_SKEW_MS) return 'future';
    const hour = Math.floor(record.receivedAt / HOUR_MS);
    if (hour <= Math.floor(this.watermark / HOUR_MS) - RETENTION_HOURS) return 'too_old';
    if (this.#seen.has(record.id)) return 'duplicate';
    this.#seen.set(record.id, hour);
    if (record.receivedAt > this.watermark) this.watermark = record.receivedAt;

    if (record.type === 'view') {
      const bucket = getOrCreate(getOrCreate(this.aircraft, record.aircraft, () => new Map()), hour, () => ({ views: 0, visitors: new Set<string>() }));
      bucket.views += 1;
      bucket.visitors.add(record.visitor);
    } else {
      const bucket = getOrCreate(getOrCreate(this.queries, record.query, () => new Map()), hour, () => ({
        searches: 0,
        clicks: 0,
        zeroResults: 0,
        visitors: new Set<string>(),
      }));
      if (record.clicked === null) bucket.searches += 1;
      else bucket.clicks += 1;
      if (record.results === 0 && record.clicked === null) bucket.zeroResults += 1;
      bucket.visitors.add(record.visitor);
    }
    return 'applied';
  }

  /** Forgets buckets and ids that can no longer count in any window. */
  prune(): void {
    const oldest = Math.floor(this.watermark / HOUR_MS) - RETENTION_HOURS;
    for (const [id, hour] of this.#seen) if (hour <= oldest) this.#seen.delete(id);
    for (const buckets of [...this.aircraft.values(), ...this.queries.values()]) {
      for (const hour of buckets.keys()) if (hour <= oldest) buckets.delete(hour);
    }
    for (const [slug, buckets] of this.aircraft) if (buckets.size === 0) this.aircraft.delete(slug);
    for (const [query, buckets] of this.queries) if (buckets.size === 0) this.queries.delete(query);
  }

  toJSON(): PartitionStateJson {
    const hours = <B, T>(buckets: Map<number, B>, f: (b: B) => T) => Object.fromEntries([...buckets].map(([h, b]) => [String(h), f(b)]));
    return {
      key: this.key,
      nextOffset: this.nextOffset,
      watermark: this.watermark,
      aircraft: Object.fromEntries([...this.aircraft].map(([slug, b]) => [slug, hours(b, (x) => [x.views, [...x.visitors]] as [number, string[]])])),
      queries: Object.fromEntries(
        [...this.queries].map(([q, b]) => [q, hours(b, (x) => [x.searches, x.clicks, x.zeroResults, [...x.visitors]] as [number, number, number, string[]])]),
      ),
      seen: [...this.#seen],
    };
  }

  static fromJSON(json: PartitionStateJson): PartitionState {
    const state = new PartitionState(json.key);
    state.nextOffset = json.nextOffset;
    state.watermark = json.watermark;
    for (const [slug, hours] of Object.entries(json.aircraft)) {
      state.aircraft.set(slug, new Map(Object.entries(hours).map(([h, [views, visitors]]) => [Number(h), { views, visitors: new Set(visitors) }])));
    }
    for (const [query, hours] of Object.entries(json.queries)) {
      state.queries.set(
        query,
        new Map(Object.entries(hours).map(([h, [searches, clicks, zeroResults, visitors]]) => [Number(h), { searches, clicks, zeroResults, visitors: new Set(visitors) }])),
      );
    }
    for (const [id, hour] of json.seen) state.#seen.set(id, hour);
    return state;
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
