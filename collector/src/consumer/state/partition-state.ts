import { deserialize, serialize } from 'node:v8';
import { SEARCH_FACETS, VISITOR_HASH_LENGTH, filterKey, type ActivityRecord, type EventRecord, type SearchRecord, type ViewFields } from '@hangarstack/shared';
import { AircraftDay, HOURS_PER_DAY, LaterRanks } from './aircraft-day.ts';
import { AircraftHour } from './aircraft-hour.ts';
import { encodeCapRow } from './cap-day.ts';
import { CoViewDays } from './co-view-partners.ts';
import { VisitorDayWindow, encodeRemembered } from './co-views.ts';
import { DedupWindow } from './dedup-window.ts';
import { OriginCapWindow } from './origin-cap-window.ts';
import type { RowKind, StateRow } from './rows.ts';
import { hash53, hash53Bytes, hash53Joined, hash53JoinedBytes, Sketch } from './sketch.ts';
import { SlugDictionary } from './slug-dictionary.ts';

export const HOUR_MS = 3_600_000;
/** Windows reach back 30 days; one more day of buckets covers late arrivals. */
export const RETENTION_HOURS = 31 * 24;
/**
 * Hours of views kept hour by hour: the 24-hour and 7-day windows and trending's seven days end at
 * any hour, so they read hours; whole days before them are folded into one bucket per day, which
 * only the 30-day window reads (windows.ts).
 */
export const HOURLY_HOURS = 7 * 24;
/** A collector clock this far ahead of ours is wrong, not early. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export type ApplyOutcome = 'applied' | 'duplicate' | 'too_old' | 'future';

export type { AircraftBucket } from './aircraft-hour.ts';
export interface QueryBucket {
  searches: number;
  clicks: number;
  zeroResults: number;
  visitors: Sketch;
  /** Visitors whose search found nothing (the ops report's content gaps). */
  zeroVisitors: Sketch;
  /** Distinct origins (client networks): what the k-anonymity floor counts. */
  origins: Sketch;
  zeroOrigins: Sketch;
}

/** Visits from one referrer host, or entries on one page, in one hour: counted by distinct origin for k-anonymity. */
export interface ActivityBucket {
  visits: number;
  origins: Sketch;
}

/**
 * Activity items: `ref:<host>` (a visit arriving from another site), `entry:<page>` (the page a
 * visit opened on) and `view:<slug>` (an aircraft page view: its origins are what the popular
 * manufacturers, roles and eras count toward the k-anonymity floor).
 */
export const activityItems = (record: ActivityRecord): string[] => [
  ...(record.ref ? [`ref:${record.ref}`] : []),
  ...(record.entry ? [`entry:${record.aircraft ? `aircraft/${record.aircraft}` : record.page}`] : []),
  ...(record.aircraft ? [`view:${record.aircraft}`] : []),
];

/** Searches with one filter combination, or zero-result searches of one query under one filter, in one hour. */
export interface FilterBucket {
  searches: number;
  zeroResults: number;
  /** Distinct origins: what the report's k-anonymity floor counts. */
  origins: Sketch;
}

/**
 * Filter items of a settled search (not a click): `combo:<filterKey>` for its whole combination
 * and, when a typed query found nothing, `zero:<facet>=<value>\n<query>` for each filter value
 * (a normalised query never contains a line break).
 */
export function filterItems(record: SearchRecord): string[] {
  const filters = record.filters;
  if (!filters || record.clicked !== null) return [];
  const key = filterKey(filters);
  if (!key) return [];
  const zero = record.results === 0 && record.query !== '' ? SEARCH_FACETS.flatMap((f) => (filters[f] ?? []).map((v) => `zero:${f}=${v}\n${record.query}`)) : [];
  return [`combo:${key}`, ...zero];
}

export interface PartitionStateOptions {
  /** Hours of event time over which event ids are de-duplicated (DEDUP_WINDOW). */
  dedupHours: number;
  /** MAX_VISITORS_PER_ORIGIN; Infinity turns the cap off. */
  maxVisitorsPerOrigin: number;
}

/**
 * The aggregate of one source partition: per hour of event time, every aircraft's views and
 * distinct-visitor sketch and every query's counts and sketches, plus a bounded de-duplication
 * window, the per-origin cap's current days, and the next offset to read. Its size follows aircraft
 * × hours, not events. Everything is keyed by event time (`receivedAt`), so replaying the same
 * records yields the same state whatever the wall clock.
 *
 * Changes are collected as rows (rows.ts): `commit` returns exactly the rows a batch changed, so
 * storing a batch costs the hours it touched, never the whole state.
 */
export class PartitionState {
  readonly key: string;
  nextOffset = '0';
  /** Highest event time applied: "now" for this partition's retention, independent of the clock. */
  watermark = 0;
  /** Views and visitors per hour; hours event time has left are packed (aircraft-hour.ts). */
  readonly aircraft = new Map<number, AircraftHour>();
  /** Views and visitors per UTC day, for days before the last `HOURLY_HOURS` (aircraft-day.ts). */
  readonly aircraftDays = new Map<number, AircraftDay>();
  readonly queries = new Map<number, Map<string, QueryBucket>>();
  /** User activity (its own topic's partitions): referrer hosts and entry pages per hour. */
  readonly activity = new Map<number, Map<string, ActivityBucket>>();
  /** Search filter usage per hour (filterItems). */
  readonly filters = new Map<number, Map<string, FilterBucket>>();
  /** Co-views (user activity partitions): per day, per aircraft, a bounded table of the aircraft the same visitors viewed that day. */
  readonly coViews = new CoViewDays();
  /** Ids of the aircraft slugs its `views` and `viewdays` rows name. */
  readonly #slugs = new SlugDictionary();
  readonly #visitorDays = new VisitorDayWindow();
  readonly #dedup: DedupWindow;
  readonly #cap: OriginCapWindow;
  readonly #dirty = { views: new Set<number>(), viewdays: new Set<number>(), searches: new Set<number>(), activity: new Set<number>(), filters: new Set<number>() };
  /** This batch's additions to the de-duplication window, the cap and the visitor-day sets, by hour / day. */
  readonly #added = { seen: new Map<number, number[]>(), cap: new Map<number, number[]>(), visitday: new Map<number, [number, string][]>() };
  /** Items of the stored `seen`, `cap` and `visitday` rows, so that dropping an hour or day can delete them. */
  readonly #items = { seen: new Map<number, Set<string>>(), cap: new Map<number, Set<string>>(), visitday: new Map<number, Set<string>>() };
  /** Rows of a failed write to delete again (see `rewrite`). */
  #undo: StateRow[] = [];
  /** Where the cap's newly remembered pairs go (made once: `admit` runs per view). */
  readonly #rememberCap = (day: number, key: number, visitor: number): void => {
    const pairs = this.#added.cap.get(day);
    if (pairs) pairs.push(key, visitor);
    else this.#added.cap.set(day, [key, visitor]);
  };

  constructor(key: string, options: PartitionStateOptions) {
    this.key = key;
    this.#dedup = new DedupWindow(options.dedupHours);
    this.#cap = new OriginCapWindow(options.maxVisitorsPerOrigin, Math.ceil(RETENTION_HOURS / 24));
  }

  get dedupSize(): number {
    return this.#dedup.size;
  }

  /** Days the per-origin cap holds (today and yesterday, plus late days). */
  get capDays(): number {
    return this.#cap.days;
  }

  /** Visitor-day aircraft sets held for co-views (today's and yesterday's). */
  get visitorDaySets(): number {
    return this.#visitorDays.size;
  }

  /** Applies one record; `now` is only used to refuse events from a clock in the future. */
  apply(record: EventRecord | ActivityRecord, now: number): ApplyOutcome {
    if (record.type === 'view') {
      const capped = this.#cap.enabled && record.origin !== undefined && record.origin !== record.visitor;
      return this.#applyView(record.aircraft, record.receivedAt, hash53(record.id), hash53(record.visitor), capped ? hash53Joined(record.aircraft, record.origin as string) : -1, now);
    }
    const refused = this.#admit(record.receivedAt, hash53(record.id), now);
    if (refused) return refused;
    const hour = Math.floor(record.receivedAt / HOUR_MS);

    if (record.type === 'activity') {
      if (record.aircraft) this.#coView(record.aircraft, record.visitor, record.origin, hour);
      const items = activityItems(record);
      if (items.length === 0) return 'applied';
      const hourBuckets = getOrCreate(this.activity, hour, () => new Map());
      for (const item of items) {
        const bucket = getOrCreate(hourBuckets, item, () => ({ visits: 0, origins: new Sketch() }));
        bucket.visits += 1;
        // Distinct origins, not visitors: one network cannot make a referrer look popular.
        bucket.origins.add(record.origin);
      }
      this.#dirty.activity.add(hour);
    } else {
      this.#applyFilters(record, hour);
      // A filter-only search has no query to count.
      if (record.query === '') return 'applied';
      const bucket = getOrCreate(getOrCreate(this.queries, hour, () => new Map()), record.query, () => ({
        searches: 0,
        clicks: 0,
        zeroResults: 0,
        visitors: new Sketch(),
        zeroVisitors: new Sketch(),
        origins: new Sketch(),
        zeroOrigins: new Sketch(),
      }));
      if (record.clicked === null) bucket.searches += 1;
      else bucket.clicks += 1;
      if (record.results === 0 && record.clicked === null) {
        bucket.zeroResults += 1;
        bucket.zeroVisitors.add(record.visitor);
        bucket.zeroOrigins.add(record.origin);
      }
      bucket.visitors.add(record.visitor);
      bucket.origins.add(record.origin);
      this.#dirty.searches.add(hour);
    }
    return 'applied';
  }

  /**
   * Applies a view read from its bytes (`readViewFields`, engine.ts): the same as `apply` of the
   * record `viewRecordFromBytes` makes of them, with the id, visitor and origin hashed from the
   * bytes instead of three strings per record, and the visitor hashed once (the per-origin cap's
   * fingerprint and the sketch take the same hash).
   */
  applyView(bytes: Buffer, view: ViewFields, now: number): ApplyOutcome {
    const visitor = view.visitorStart;
    const origin = view.originStart;
    let capped = this.#cap.enabled;
    if (capped) {
      // An origin equal to its visitor (a version 1 record read as version 2) is not capped.
      let same = true;
      for (let i = 0; i < VISITOR_HASH_LENGTH && same; i++) same = bytes[visitor + i] === bytes[origin + i];
      capped = !same;
    }
    return this.#applyView(
      view.aircraft,
      view.receivedAt,
      hash53Bytes(bytes, view.idStart, view.idEnd),
      hash53Bytes(bytes, visitor, visitor + VISITOR_HASH_LENGTH),
      capped ? hash53JoinedBytes(view.aircraft, bytes, origin, origin + VISITOR_HASH_LENGTH) : -1,
      now,
    );
  }

  /** A view by its hashes: `capKey` is `hash53Joined(aircraft, origin)`, or -1 where the cap does not apply. */
  #applyView(aircraft: string, receivedAt: number, id: number, visitor: number, capKey: number, now: number): ApplyOutcome {
    const refused = this.#admit(receivedAt, id, now);
    if (refused) return refused;
    const hour = Math.floor(receivedAt / HOUR_MS);
    const bucket = getOrCreate(this.aircraft, hour, newAircraftHour).bucket(aircraft);
    bucket.views += 1;
    if (capKey < 0 || this.#cap.admitKey(capKey, visitor, Math.floor(hour / 24), Math.floor(Math.floor(this.watermark / HOUR_MS) / 24), this.#rememberCap)) bucket.visitors.addHash(visitor);
    this.#dirty.views.add(hour);
    return 'applied';
  }

  /**
   * What every record passes first: not from a clock in the future, not older than the retention,
   * not an id the de-duplication window holds (a new one is added); moves the watermark. Null
   * when the record is to be applied, else why not.
   */
  #admit(receivedAt: number, id: number, now: number): ApplyOutcome | null {
    if (receivedAt > now + FUTURE_SKEW_MS) return 'future';
    const hour = Math.floor(receivedAt / HOUR_MS);
    const newestHour = Math.floor(this.watermark / HOUR_MS);
    if (hour <= newestHour - RETENTION_HOURS) return 'too_old';
    const seen = this.#dedup.check(id, hour, Math.max(hour, newestHour));
    if (seen === 'duplicate') return 'duplicate';
    if (seen === 'added') append(this.#added.seen, hour, id);
    if (receivedAt > this.watermark) this.watermark = receivedAt;
    return null;
  }

  /** Counts the pairs a visitor's view of `aircraft` makes with the aircraft they viewed earlier that day. */
  #coView(aircraft: string, visitor: string, origin: string, hour: number): void {
    const day = Math.floor(hour / 24);
    const added = this.#visitorDays.add(visitor, aircraft, day, Math.floor(Math.floor(this.watermark / HOUR_MS) / 24));
    if (!added) return;
    append(this.#added.visitday, day, added.remembered);
    if (added.partners.length === 0) return;
    for (const other of added.partners) this.coViews.add(day, aircraft, other, origin);
  }

  #applyFilters(record: SearchRecord, hour: number): void {
    const items = filterItems(record);
    if (items.length === 0) return;
    const hourBuckets = getOrCreate(this.filters, hour, () => new Map());
    for (const item of items) {
      const bucket = getOrCreate(hourBuckets, item, () => ({ searches: 0, zeroResults: 0, origins: new Sketch() }));
      bucket.searches += 1;
      if (record.results === 0) bucket.zeroResults += 1;
      bucket.origins.add(record.origin);
    }
    this.#dirty.filters.add(hour);
  }

  /**
   * Drops what can no longer count (hours past the retention, ids past the de-duplication window,
   * cap days past yesterday) and returns the rows this batch changed, the offset row last.
   * `batch` names the batch (its first offset) for the rows it appends.
   */
  commit(batch: string): StateRow[] {
    const rows: StateRow[] = [];
    const row = (kind: RowKind, bucket: number, item: string, value: Uint8Array | null) => rows.push({ partition: this.key, kind, bucket, item, value });
    rows.push(...this.#undo);
    this.#undo = [];
    // The slugs given ids by this commit's rows go before them (slug-dictionary.ts).
    const slugsAt = rows.length;
    const newestHour = Math.floor(this.watermark / HOUR_MS);
    const oldest = newestHour - RETENTION_HOURS;
    for (const [kind, hours] of [['views', this.aircraft], ['searches', this.queries], ['activity', this.activity], ['filters', this.filters]] as const) {
      for (const hour of hours.keys()) {
        if (hour > oldest) continue;
        hours.delete(hour);
        this.#dirty[kind].delete(hour);
        row(kind, hour, '', null);
      }
    }
    this.#foldDays(newestHour, oldest, row);
    for (const day of this.#dirty.viewdays) row('viewdays', day, '', this.aircraftDays.get(day)?.toBytes(this.#slugs) ?? null);
    for (const hour of this.#dirty.views) {
      const bucket = this.aircraft.get(hour);
      row('views', hour, '', bucket ? bucket.toBytes(this.#slugs) : null);
    }
    const slugs = this.#slugs.takeRow();
    if (slugs) rows.splice(slugsAt, 0, { partition: this.key, kind: 'slugs', bucket: 0, item: slugs.item, value: slugs.value });
    // Hours before the previous one rarely take a view again (a late beacon opens one again).
    for (const [hour, bucket] of this.aircraft) if (hour < newestHour - 1) bucket.pack();
    for (const hour of this.#dirty.searches) {
      const bucket = this.queries.get(hour);
      row('searches', hour, '', bucket ? encodeSearches(bucket) : null);
    }
    for (const hour of this.#dirty.activity) {
      const bucket = this.activity.get(hour);
      row('activity', hour, '', bucket ? encodeActivity(bucket) : null);
    }
    for (const hour of this.#dirty.filters) {
      const bucket = this.filters.get(hour);
      row('filters', hour, '', bucket ? encodeFilters(bucket) : null);
    }
    for (const [day, item] of this.coViews.prune(oldest)) row('coviews', day, item, null);
    for (const [day, item, value] of this.coViews.takeDirty()) row('coviews', day, item, value);
    this.#dirty.views.clear();
    this.#dirty.viewdays.clear();
    this.#dirty.searches.clear();
    this.#dirty.activity.clear();
    this.#dirty.filters.clear();

    for (const [hour, ids] of this.#added.seen) {
      row('seen', hour, batch, encodeSeen(ids));
      include(this.#items.seen, hour, batch);
    }
    for (const [day, pairs] of this.#added.cap) {
      row('cap', day, batch, encodeCapRow(pairs));
      include(this.#items.cap, day, batch);
    }
    for (const [day, entries] of this.#added.visitday) {
      row('visitday', day, batch, encodeRemembered(entries));
      include(this.#items.visitday, day, batch);
    }
    this.#added.seen.clear();
    this.#added.cap.clear();
    this.#added.visitday.clear();
    for (const hour of this.#dedup.prune(newestHour)) {
      for (const item of this.#items.seen.get(hour) ?? []) row('seen', hour, item, null);
      this.#items.seen.delete(hour);
    }
    const newestDay = Math.floor(newestHour / 24);
    for (const day of this.#cap.prune(newestDay)) {
      for (const item of this.#items.cap.get(day) ?? []) row('cap', day, item, null);
      this.#items.cap.delete(day);
    }
    // A closed day's visitor sets are dropped: their pairs are already counted.
    for (const day of this.#visitorDays.prune(newestDay)) {
      for (const item of this.#items.visitday.get(day) ?? []) row('visitday', day, item, null);
      this.#items.visitday.delete(day);
    }
    row('offset', 0, '', new TextEncoder().encode(JSON.stringify({ nextOffset: this.nextOffset, watermark: this.watermark })));
    return rows;
  }

  /**
   * Folds the hours of whole days before the last `HOURLY_HOURS` into their day (a late view's hour
   * into the day already folded) and drops days past the retention, with their rows. The fold is
   * exact for every window that reads it: each ends at the newest hour, and an entry is dropped only
   * when a later hour still held has its register at a rank as high (aircraft-day.ts).
   */
  #foldDays(newestHour: number, oldest: number, row: (kind: RowKind, bucket: number, item: string, value: Uint8Array | null) => void): void {
    for (const day of this.aircraftDays.keys()) {
      if (day * HOURS_PER_DAY + HOURS_PER_DAY - 1 > oldest) continue;
      this.aircraftDays.delete(day);
      this.#dirty.viewdays.delete(day);
      row('viewdays', day, '', null);
    }
    const lastFolded = Math.floor((newestHour - HOURLY_HOURS - (HOURS_PER_DAY - 1)) / HOURS_PER_DAY);
    const byDay = new Map<number, Map<number, AircraftHour>>();
    for (const [hour, bucket] of this.aircraft) {
      const day = Math.floor(hour / HOURS_PER_DAY);
      if (day > lastFolded) continue;
      getOrCreate(byDay, day, () => new Map()).set(hour - day * HOURS_PER_DAY, bucket);
      this.aircraft.delete(hour);
      this.#dirty.views.delete(hour);
      row('views', hour, '', null);
    }
    if (byDay.size === 0) return;
    // Newest day first, each pruned against the hours still hourly and the days folded after it
    // (every window that reads a folded day ends at the newest hour: aircraft-day.ts).
    const later = new LaterRanks(this.aircraft.values());
    for (const day of [...byDay.keys()].sort((a, b) => b - a)) {
      this.aircraftDays.set(day, AircraftDay.fold(byDay.get(day) as Map<number, AircraftHour>, this.aircraftDays.get(day), later));
      this.#dirty.viewdays.add(day);
    }
  }

  /**
   * After a failed write whose rows may have reached the changelog but not the store: the next
   * commit rewrites those buckets from this (reloaded) state and deletes the rows it appended, so
   * the changelog ends up saying exactly what the store says.
   */
  rewrite(rows: readonly StateRow[]): void {
    for (const r of rows) {
      if (r.kind === 'views' || r.kind === 'viewdays' || r.kind === 'searches' || r.kind === 'activity' || r.kind === 'filters') this.#dirty[r.kind].add(r.bucket);
      else if (r.kind === 'coviews') this.coViews.rewrite(r.bucket, r.item);
      else if ((r.kind === 'seen' || r.kind === 'cap' || r.kind === 'visitday' || r.kind === 'slugs') && r.value) this.#undo.push({ ...r, value: null });
    }
  }

  /** Restores one stored row (from SQLite or the changelog); a null value deletes. */
  load(row: StateRow): void {
    const { kind, bucket, value } = row;
    if (kind === 'offset') {
      if (value) Object.assign(this, JSON.parse(new TextDecoder().decode(value)) as { nextOffset: string; watermark: number });
    } else if (kind === 'slugs') {
      this.#slugs.load(row.item, value);
    } else if (kind === 'views') {
      if (value) this.aircraft.set(bucket, AircraftHour.fromBytes(value, this.#slugs));
      else this.aircraft.delete(bucket);
    } else if (kind === 'viewdays') {
      if (value) this.aircraftDays.set(bucket, AircraftDay.fromBytes(value, this.#slugs));
      else this.aircraftDays.delete(bucket);
    } else if (kind === 'searches') {
      if (value) this.queries.set(bucket, decodeSearches(value));
      else this.queries.delete(bucket);
    } else if (kind === 'activity') {
      if (value) this.activity.set(bucket, decodeActivity(value));
      else this.activity.delete(bucket);
    } else if (kind === 'filters') {
      if (value) this.filters.set(bucket, decodeFilters(value));
      else this.filters.delete(bucket);
    } else if (kind === 'coviews') {
      // A per-hour pair row from before the tables were bounded: deleted by the next commit.
      if (!this.coViews.load(bucket, row.item, value) && value) this.#undo.push({ ...row, value: null });
    } else if (kind === 'visitday') {
      if (value) {
        this.#visitorDays.load(bucket, value);
        include(this.#items.visitday, bucket, row.item);
      } else if (this.#deleted('visitday', bucket, row.item)) this.#visitorDays.forget(bucket);
    } else if (kind === 'seen') {
      if (value) {
        // A copy: `value` may be a view into a whole fetched changelog batch.
        const copy = value.slice();
        this.#dedup.load(bucket, () => decodeSeen(copy));
        include(this.#items.seen, bucket, row.item);
      } else if (this.#deleted('seen', bucket, row.item)) this.#dedup.forget(bucket);
    } else if (kind === 'cap') {
      if (value) {
        // A copy: `value` may be a view into a whole fetched changelog batch.
        this.#cap.load(bucket, value.slice());
        include(this.#items.cap, bucket, row.item);
      } else if (this.#deleted('cap', bucket, row.item)) this.#cap.forget(bucket);
    }
  }

  /**
   * Forgets a deleted `seen`, `cap` or `visitday` row; true once its bucket has no row left. The
   * owner deletes a bucket's rows when the bucket leaves its window, so a member replaying the
   * changelog (restoring, or holding another member's partitions) drops the bucket then too: it
   * otherwise kept every hour's ids and every day's cap pairs of the retention, 30 days of cap
   * tables where the owner keeps two.
   */
  #deleted(kind: 'seen' | 'cap' | 'visitday', bucket: number, item: string): boolean {
    const items = this.#items[kind].get(bucket);
    if (!items) return false;
    items.delete(item);
    if (items.size > 0) return false;
    this.#items[kind].delete(bucket);
    return true;
  }
}

type Encoded<T> = [string, ...T[]][];

// v8's serializer for the other kinds: compact, fast, and it carries typed arrays as bytes.
function encodeSearches(bucket: ReadonlyMap<string, QueryBucket>): Uint8Array {
  return serialize([...bucket].map(([q, b]) => [q, b.searches, b.clicks, b.zeroResults, b.visitors.toBytes(), b.zeroVisitors.toBytes(), b.origins.toBytes(), b.zeroOrigins.toBytes()]));
}
function decodeSearches(bytes: Uint8Array): Map<string, QueryBucket> {
  const items = deserialize(bytes) as Encoded<number | Uint8Array>;
  return new Map(
    items.map(([q, searches, clicks, zeroResults, visitors, zeroVisitors, origins, zeroOrigins]) => [
      q,
      {
        searches: searches as number,
        clicks: clicks as number,
        zeroResults: zeroResults as number,
        visitors: Sketch.fromBytes(visitors as Uint8Array),
        zeroVisitors: Sketch.fromBytes(zeroVisitors as Uint8Array),
        // Rows stored before origins were kept: each visitor stands for its own origin.
        origins: Sketch.fromBytes((origins ?? visitors) as Uint8Array),
        zeroOrigins: Sketch.fromBytes((zeroOrigins ?? zeroVisitors) as Uint8Array),
      },
    ]),
  );
}

function encodeActivity(bucket: ReadonlyMap<string, ActivityBucket>): Uint8Array {
  return serialize([...bucket].map(([item, b]) => [item, b.visits, b.origins.toBytes()]));
}
function decodeActivity(bytes: Uint8Array): Map<string, ActivityBucket> {
  const items = deserialize(bytes) as Encoded<number | Uint8Array>;
  return new Map(items.map(([item, visits, origins]) => [item, { visits: visits as number, origins: Sketch.fromBytes(origins as Uint8Array) }]));
}

function encodeFilters(bucket: ReadonlyMap<string, FilterBucket>): Uint8Array {
  return serialize([...bucket].map(([item, b]) => [item, b.searches, b.zeroResults, b.origins.toBytes()]));
}
function decodeFilters(bytes: Uint8Array): Map<string, FilterBucket> {
  const items = deserialize(bytes) as Encoded<number | Uint8Array>;
  return new Map(
    items.map(([item, searches, zeroResults, origins]) => [item, { searches: searches as number, zeroResults: zeroResults as number, origins: Sketch.fromBytes(origins as Uint8Array) }]),
  );
}

/** First byte of a `seen` row of id hashes (rows written before it are the ids as text, one a line). */
const SEEN_HASHES = 1;

/** A `seen` row: the format byte, then the id hashes as little-endian float64s (exact below 2^53). */
function encodeSeen(ids: readonly number[]): Uint8Array {
  const out = new Uint8Array(1 + 8 * ids.length);
  out[0] = SEEN_HASHES;
  const view = new DataView(out.buffer);
  ids.forEach((id, i) => view.setFloat64(1 + 8 * i, id, true));
  return out;
}

function decodeSeen(value: Uint8Array): number[] {
  if (value[0] !== SEEN_HASHES) return new TextDecoder().decode(value).split('\n').map(hash53);
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return Array.from({ length: (value.byteLength - 1) / 8 }, (_, i) => view.getFloat64(1 + 8 * i, true));
}

/** Appends to the list under `key` (one value: a rest parameter was an array per call, and this runs per record). */
function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
function include<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Made once: a closure per view read was allocated per record. */
const newAircraftHour = (): AircraftHour => new AircraftHour();

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
