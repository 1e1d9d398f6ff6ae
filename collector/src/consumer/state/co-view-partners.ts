import { deserialize, serialize } from 'node:v8';
import { hash53, Sketch } from './sketch.ts';

/**
 * Partners remembered per aircraft per day per partition (a Space-Saving table). Co-view state is
 * then at most aircraft × days × 32 entries, whatever the traffic: unique pairs in the long tail
 * (most pairs are seen once) evict each other instead of piling up. 32 is four times the published
 * 8 partners, so a partner near the cut has room to stay while noise churns below it.
 */
export const MAX_PARTNERS_PER_AIRCRAFT_DAY = 32;
/**
 * A day's tables are stored as this many rows (item `s<n>`, by a hash of the aircraft), so a batch
 * rewrites only the shards it touched and no row nears the changelog's 16 MiB message limit (10k
 * aircraft with full tables are ~4 MB a day, ~1 MB per row). Not more: each row carries its own
 * slug dictionary, which at the coviews bench's 100k records made 16 shards 1.3× the bytes of 4.
 */
export const CO_VIEW_SHARDS = 4;

/** One partner of an aircraft on one day. */
export interface CoViewPartner {
  /**
   * Space-Saving count: visitor-days that viewed both while the partner was in the table, plus the
   * count of the entry it evicted (an over-estimate). Only orders evictions; never published.
   */
  count: number;
  /**
   * Distinct origins (client networks) of the visitors that viewed both while the partner was in
   * the table, its own only (an evicting partner starts empty, it does not inherit the evicted
   * sketch): a subset of the pair's true origins. The k-anonymity floor is checked on it, so an
   * eviction can hide a pair, never publish one that fewer than k origins viewed.
   */
  origins: Sketch;
}

/** An aircraft's partners on one day, at most `MAX_PARTNERS_PER_AIRCRAFT_DAY`. */
export type PartnerTable = Map<string, CoViewPartner>;

const shardOf = (aircraft: string): number => hash53(aircraft) % CO_VIEW_SHARDS;
export const shardItem = (shard: number): string => `s${shard}`;

/**
 * Adds one visitor-day's view of both `aircraft` and `partner` to the aircraft's table (Space-Saving,
 * Metwally et al. 2005): a partner already there counts one more; a new one takes a free slot or
 * evicts the entry with the lowest count (ties: the greatest slug, so the result depends only on
 * the records, not on map order or restore) and starts at its count + 1.
 */
export function addPartner(table: PartnerTable, partner: string, origin: string, max = MAX_PARTNERS_PER_AIRCRAFT_DAY): void {
  let entry = table.get(partner);
  if (!entry) {
    let floor = 0;
    if (table.size >= max) {
      let victim = '';
      let min = Infinity;
      for (const [slug, e] of table) {
        if (e.count < min || (e.count === min && slug > victim)) {
          min = e.count;
          victim = slug;
        }
      }
      table.delete(victim);
      floor = min;
    }
    table.set(partner, (entry = { count: floor, origins: new Sketch() }));
  }
  entry.count += 1;
  entry.origins.add(origin);
}

/**
 * Co-views of one activity partition: per day of event time, per aircraft, its bounded partner
 * table. A pair is added to both aircraft's tables, so each aircraft keeps its own top partners.
 */
export class CoViewDays {
  readonly days = new Map<number, Map<string, PartnerTable>>();
  readonly #dirty = new Map<number, Set<number>>();

  /** Counts one visitor-day's pair (a, b) from `origin` on `day`. */
  add(day: number, a: string, b: string, origin: string): void {
    let tables = this.days.get(day);
    if (!tables) this.days.set(day, (tables = new Map()));
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let table = tables.get(x);
      if (!table) tables.set(x, (table = new Map()));
      addPartner(table, y, origin);
      this.markDirty(day, shardOf(x));
    }
  }

  markDirty(day: number, shard: number): void {
    let shards = this.#dirty.get(day);
    if (!shards) this.#dirty.set(day, (shards = new Set()));
    shards.add(shard);
  }

  /** After a failed write: the next `takeDirty` writes this shard row again from the (reloaded) state. */
  rewrite(day: number, item: string): void {
    const shard = /^s(\d+)$/.exec(item);
    if (shard) this.markDirty(day, Number(shard[1]));
  }

  /** The rows changed since the last call, as [day, item, value] (null: the shard is now empty). */
  *takeDirty(): Generator<[number, string, Uint8Array | null]> {
    for (const [day, shards] of this.#dirty) {
      const tables = this.days.get(day);
      for (const shard of shards) {
        const inShard = tables ? [...tables].filter(([aircraft]) => shardOf(aircraft) === shard) : [];
        yield [day, shardItem(shard), inShard.length > 0 ? encodeShard(inShard) : null];
      }
    }
    this.#dirty.clear();
  }

  /** Drops days whose last hour is at or before `oldestHour`; returns the rows to delete. */
  prune(oldestHour: number): [number, string][] {
    const dropped: [number, string][] = [];
    for (const [day, tables] of this.days) {
      if (day * 24 + 23 > oldestHour) continue;
      const shards = new Set([...tables.keys()].map(shardOf));
      for (const shard of [...shards].sort((x, y) => x - y)) dropped.push([day, shardItem(shard)]);
      this.days.delete(day);
      this.#dirty.delete(day);
    }
    return dropped;
  }

  /**
   * Restores one stored shard row; false for a row this format does not own (item '': a per-hour
   * pair row written before the tables were bounded), which the caller deletes.
   */
  load(day: number, item: string, value: Uint8Array | null): boolean {
    const shard = /^s(\d+)$/.exec(item);
    if (!shard) return false;
    let tables = this.days.get(day);
    for (const aircraft of [...(tables?.keys() ?? [])]) if (shardOf(aircraft) === Number(shard[1])) tables?.delete(aircraft);
    if (value) {
      if (!tables) this.days.set(day, (tables = new Map()));
      for (const [aircraft, table] of decodeShard(value)) tables.set(aircraft, table);
    } else if (tables?.size === 0) this.days.delete(day);
    return true;
  }

  /** Partner entries held (the bound the tests and the bench check). */
  get entries(): number {
    let n = 0;
    for (const tables of this.days.values()) for (const table of tables.values()) n += table.size;
    return n;
  }
}

/**
 * A shard row: its slugs once (a partner recurs in many tables), then per table the aircraft's
 * index and partner count, per partner its index, count and sketch length; sketches concatenated.
 */
function encodeShard(tables: readonly [string, PartnerTable][]): Uint8Array {
  const index = new Map<string, number>();
  const id = (slug: string) => {
    let i = index.get(slug);
    if (i === undefined) index.set(slug, (i = index.size));
    return i;
  };
  const numbers: number[] = [];
  const sketches: Uint8Array[] = [];
  for (const [aircraft, table] of tables) {
    numbers.push(id(aircraft), table.size);
    for (const [partner, entry] of table) {
      const bytes = entry.origins.toBytes();
      numbers.push(id(partner), entry.count, bytes.length);
      sketches.push(bytes);
    }
  }
  return serialize([[...index.keys()], numbers, Buffer.concat(sketches)]);
}

function decodeShard(bytes: Uint8Array): Map<string, PartnerTable> {
  const [slugs, numbers, sketches] = deserialize(bytes) as [string[], number[], Uint8Array];
  const out = new Map<string, PartnerTable>();
  let at = 0;
  let offset = 0;
  const next = () => numbers[at++] as number;
  while (at < numbers.length) {
    const aircraft = slugs[next()] as string;
    const size = next();
    const table: PartnerTable = new Map();
    for (let i = 0; i < size; i++) {
      const partner = slugs[next()] as string;
      const count = next();
      const length = next();
      table.set(partner, { count, origins: Sketch.fromBytes(sketches.subarray(offset, offset + length)) });
      offset += length;
    }
    out.set(aircraft, table);
  }
  return out;
}
