import type { AircraftHour } from './aircraft-hour.ts';
import { intern } from './intern.ts';
import { REGISTERS, type SketchUnion } from './sketch.ts';
import { readSlugIds, writeSlugIds, type SlugDictionary, type SlugIds } from './slug-dictionary.ts';
import { ByteReader, ByteWriter } from './varint.ts';

export const HOURS_PER_DAY = 24;

/** First byte of a `viewdays` row naming aircraft by id (slug-dictionary.ts). */
const DAY_FORMAT = 2;
/** First byte of the `viewdays` rows written before, which name aircraft by slug. */
const NAMED_FORMAT = 1;

/** An hour-tagged entry: `hourOfDay * 2^20 + (index << 6 | rank)` (25 bits: plain integer arithmetic). */
const HOUR_SHIFT = 2 ** 20;

/**
 * Every aircraft's views and visitors over one UTC day of one partition, for days the hourly
 * windows (24 hours, the seven days of trending and the 7-day window) no longer reach: the 30-day
 * window reads them, its first day only from the hour the window starts at. The day's hours are
 * folded into it (`fold`), which drops each hour's per-aircraft slot (slug, views, offsets, sketch
 * header: about a third of a packed hour at 10 M views) and keeps one slot per aircraft and day.
 *
 * Per slot: views per hour (a 24-bit mask of the hours with views, then their counts) and the HLL
 * entries of the day's hour sketches tagged with their hour, sorted by hour then register (so the
 * deltas are as small as in the hours). A (register, hour) keeps its highest rank only. Any range of
 * hours of the day counts exactly what the union of those hours' sketches counts (`unionInto`), so
 * the 30-day window is unchanged by the fold, at its moving first day too.
 *
 * Folded with `later` (what the partition holds after the day, see `fold`), an entry is also dropped
 * when a later hour of the aircraft has the same register at a rank as high: every window that reads
 * a folded day (the 30-day one, and the 7-day ones when they reach back that far) ends at the newest
 * hour, so it holds that later entry too and the register's maximum is the same without it. What is
 * left per register is the entries no later one outranks, a few per register once an aircraft's
 * visitors fill it, instead of one per hour a visitor returned in (at the 10 M bench about half the
 * entries of the folded days). Ranges that end before a later hour (`unionInto` with `to` < 23)
 * no longer count exactly once `later` was used: no window asks for one.
 */
export class AircraftDay {
  /** Slugs by slot (interned, sorted); a row read back names them by id. */
  readonly #slugs: readonly string[] | SlugIds;
  /** Per slot: where its views (`#views`) and entries (`#entries`) start in `#bytes`. */
  readonly #views: Uint32Array;
  readonly #entries: Uint32Array;
  readonly #bytes: Uint8Array;

  private constructor(slugs: readonly string[] | SlugIds, views: Uint32Array, entries: Uint32Array, bytes: Uint8Array) {
    this.#slugs = slugs;
    this.#views = views;
    this.#entries = entries;
    this.#bytes = bytes;
  }

  get size(): number {
    return this.#slugs.length;
  }

  /** Bytes held outside the JavaScript heap (tests and the state's size account). */
  get byteLength(): number {
    return this.#bytes.byteLength;
  }

  slugAt(slot: number): string {
    return this.#slugs.at(slot) as string;
  }

  /** The slot's views in hours `from`..`to` of the day (0–23, both included). */
  viewsIn(slot: number, from: number, to: number): number {
    const reader = new ByteReader(this.#bytes, this.#views[slot] as number);
    const mask = reader.uint();
    let sum = 0;
    for (let hour = 0; hour < HOURS_PER_DAY; hour++) {
      if ((mask & (1 << hour)) === 0) continue;
      const n = reader.uint();
      if (hour >= from && hour <= to) sum += n;
    }
    return sum;
  }

  /** Adds the slot's visitors of hours `from`..`to` of the day (0–23, both included) to `union`. */
  unionInto(slot: number, union: SketchUnion, from: number, to: number): void {
    union.addHourTagged(this.#bytes, this.#entries[slot] as number, from * HOUR_SHIFT, (to + 1) * HOUR_SHIFT);
  }

  /**
   * A day from its hours (`hours`: hour of the day → that hour's aircraft) and, when a late view
   * opened an hour of a day already folded, the day as it was. Slots are sorted by slug, so the
   * same content makes the same bytes whatever order the hours arrived in.
   *
   * `later`, when given: the hours and days after this day that every window reading this day also
   * reads (`LaterRanks`). Entries they outrank are dropped (see the class); the folded day is added
   * to it, so folding days newest first prunes each against the ones after it.
   */
  static fold(hours: ReadonlyMap<number, AircraftHour>, into?: AircraftDay, later?: LaterRanks): AircraftDay {
    const bySlug = new Map<string, { views: number[]; entries: number[] }>();
    const of = (slug: string) => {
      let acc = bySlug.get(slug);
      if (!acc) bySlug.set(slug, (acc = { views: new Array<number>(HOURS_PER_DAY).fill(0), entries: [] }));
      return acc;
    };
    if (into) {
      for (let slot = 0; slot < into.size; slot++) {
        const acc = of(into.slugAt(slot));
        for (let hour = 0; hour < HOURS_PER_DAY; hour++) acc.views[hour] = (acc.views[hour] as number) + into.viewsIn(slot, hour, hour);
        into.#entriesOf(slot, acc.entries);
      }
    }
    for (const [hour, aircraft] of hours) {
      if (!Number.isInteger(hour) || hour < 0 || hour >= HOURS_PER_DAY) throw new Error(`an hour of the day must be 0–23, got ${hour}`);
      for (let slot = 0; slot < aircraft.size; slot++) {
        const acc = of(aircraft.slugAt(slot));
        acc.views[hour] = (acc.views[hour] as number) + aircraft.viewsAt(slot);
        const tag = hour * HOUR_SHIFT;
        aircraft.entriesAt(slot, (entry) => acc.entries.push(tag + entry));
      }
    }
    const slugs = [...bySlug.keys()].sort();
    const viewsAt = new Uint32Array(slugs.length);
    const entriesAt = new Uint32Array(slugs.length);
    const out = new ByteWriter();
    slugs.forEach((slug, slot) => {
      const { views, entries } = bySlug.get(slug) as { views: number[]; entries: number[] };
      viewsAt[slot] = out.length;
      writeViews(out, views);
      entriesAt[slot] = out.length;
      writeEntries(out, entries, later?.of(slug));
    });
    const day = new AircraftDay(slugs.map(intern), viewsAt, entriesAt, out.finish());
    later?.add(day);
    return day;
  }

  /** Raises `ranks` (one byte per register) to the slot's entries of the whole day (`LaterRanks`). */
  raiseInto(slot: number, ranks: Uint8Array): void {
    const reader = new ByteReader(this.#bytes, this.#entries[slot] as number);
    let entry = 0;
    for (let i = reader.uint(); i > 0; i--) {
      entry += reader.uint();
      const low = entry % HOUR_SHIFT;
      if ((low & 63) > (ranks[low >>> 6] as number)) ranks[low >>> 6] = low & 63;
    }
  }

  /**
   * The row value: format byte, slot count, per slot its aircraft's id in `slugs` (given now to an
   * aircraft that has none), then the slots' views and entries.
   */
  toBytes(slugs: SlugDictionary): Uint8Array {
    const out = new ByteWriter();
    out.uint(DAY_FORMAT);
    out.uint(this.size);
    writeSlugIds(out, this.#slugs, slugs);
    out.bytes(this.#bytes);
    return out.finish();
  }

  /** Reads a row value (`toBytes`, whose ids `slugs` names, or the earlier rows that name aircraft by slug); copies what it keeps. */
  static fromBytes(bytes: Uint8Array, slugs: SlugDictionary): AircraftDay {
    if (bytes[0] !== DAY_FORMAT && bytes[0] !== NAMED_FORMAT) throw new Error(`a viewdays row starts with format ${bytes[0]}, not ${DAY_FORMAT}: it was written by a newer consumer, or is not a viewdays row`);
    const reader = new ByteReader(bytes, 1);
    const n = reader.uint();
    const decoder = new TextDecoder();
    const names = bytes[0] === NAMED_FORMAT ? Array.from({ length: n }, () => intern(decoder.decode(reader.take(reader.uint())))) : readSlugIds(reader, n, slugs);
    const start = reader.pos;
    const views = new Uint32Array(n);
    const entries = new Uint32Array(n);
    for (let slot = 0; slot < n; slot++) {
      views[slot] = reader.pos - start;
      const mask = reader.uint();
      for (let hour = 0; hour < HOURS_PER_DAY; hour++) if (mask & (1 << hour)) reader.uint();
      entries[slot] = reader.pos - start;
      for (let i = reader.uint(); i > 0; i--) reader.uint();
    }
    // A copy: `bytes` may be a view into a whole fetched changelog batch.
    return new AircraftDay(names, views, entries, bytes.slice(start, reader.pos));
  }

  /** Appends the slot's hour-tagged entries to `out`. */
  #entriesOf(slot: number, out: number[]): void {
    const reader = new ByteReader(this.#bytes, this.#entries[slot] as number);
    let entry = 0;
    for (let i = reader.uint(); i > 0; i--) out.push((entry += reader.uint()));
  }
}

function writeViews(out: ByteWriter, views: readonly number[]): void {
  let mask = 0;
  for (let hour = 0; hour < HOURS_PER_DAY; hour++) if ((views[hour] as number) > 0) mask |= 1 << hour;
  out.uint(mask);
  for (let hour = 0; hour < HOURS_PER_DAY; hour++) if ((views[hour] as number) > 0) out.uint(views[hour] as number);
}

/**
 * The `later` of `AircraftDay.fold`: per slug, the highest rank of each register over the hours
 * (and days, as they are folded) after the day being folded. Each slug's sources are listed once;
 * `of` counts one slug at a time into one reused array (a 16 KiB array per aircraft per fold was
 * ~5 MB of short-lived buffers at 10 M views, each fold).
 */
export class LaterRanks {
  readonly #sources = new Map<string, (AircraftHour | AircraftDay | number)[]>();
  readonly #ranks = new Uint8Array(REGISTERS);

  constructor(hours: Iterable<AircraftHour>) {
    for (const hour of hours) this.#list(hour);
  }

  add(day: AircraftDay): void {
    this.#list(day);
  }

  /** The slug's highest rank per register; valid until the next call (one array, reused). */
  of(slug: string): Uint8Array {
    const ranks = this.#ranks;
    ranks.fill(0);
    const sources = this.#sources.get(slug) ?? [];
    for (let i = 0; i < sources.length; i += 2) (sources[i] as AircraftHour | AircraftDay).raiseInto(sources[i + 1] as number, ranks);
    return ranks;
  }

  #list(source: AircraftHour | AircraftDay): void {
    for (let slot = 0; slot < source.size; slot++) {
      const slug = source.slugAt(slot);
      const list = this.#sources.get(slug);
      if (list) list.push(source, slot);
      else this.#sources.set(slug, [source, slot]);
    }
  }
}

/**
 * Sorted, one entry per (hour, register) with its highest rank, as a count and varint deltas.
 * With `later` (highest rank per register after this day): entries it outranks or equals are
 * dropped, newest hour first, each hour's entries raising it for the hours before.
 */
function writeEntries(out: ByteWriter, entries: number[], later?: Uint8Array): void {
  entries.sort((a, b) => a - b);
  let kept = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as number;
    const next = entries[i + 1];
    // Same hour and register (all but the 6 rank bits): the later one has the higher rank.
    if (next !== undefined && Math.floor(next / 64) === Math.floor(entry / 64)) continue;
    entries[kept++] = entry;
  }
  if (later) kept = pruneOutranked(entries, kept, later);
  out.uint(kept);
  let previous = 0;
  for (let i = 0; i < kept; i++) {
    const entry = entries[i] as number;
    out.uint(entry - previous);
    previous = entry;
  }
}

/**
 * Drops, from the first `n` sorted hour-tagged entries, each one whose register `later` holds at a
 * rank as high, walking hours newest first and raising `later` with each hour once it is done (two
 * entries of one hour never share a register). Keeps the order; returns how many are left.
 */
function pruneOutranked(entries: number[], n: number, later: Uint8Array): number {
  let end = n;
  let write = n;
  while (end > 0) {
    const hour = Math.floor((entries[end - 1] as number) / HOUR_SHIFT);
    let start = end - 1;
    while (start > 0 && Math.floor((entries[start - 1] as number) / HOUR_SHIFT) === hour) start--;
    // Kept entries move to the back, in order (never past one not yet read: write >= i + 1).
    const keptUntil = write;
    for (let i = end - 1; i >= start; i--) {
      const entry = entries[i] as number;
      const low = entry % HOUR_SHIFT;
      if ((low & 63) > (later[low >>> 6] as number)) entries[--write] = entry;
    }
    // Raised only now: an entry of this hour does not outrank another of the same hour.
    for (let i = write; i < keptUntil; i++) {
      const low = (entries[i] as number) % HOUR_SHIFT;
      later[low >>> 6] = low & 63;
    }
    end = start;
  }
  entries.copyWithin(0, write, n);
  return n - write;
}
