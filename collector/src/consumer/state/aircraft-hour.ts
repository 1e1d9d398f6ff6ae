import { deserialize } from 'node:v8';
import { intern } from './intern.ts';
import { Sketch, type SketchUnion } from './sketch.ts';
import { readSlugIds, writeSlugIds, type SlugDictionary, type SlugIds } from './slug-dictionary.ts';
import { ByteReader, ByteWriter } from './varint.ts';

/** One aircraft's views and visitor sketch in one hour of one partition, while the hour is open. */
export interface AircraftBucket {
  views: number;
  visitors: Sketch;
}

/** First byte of a packed `views` row naming aircraft by id (slug-dictionary.ts). */
const PACKED_FORMAT = 3;
/** First byte of the packed rows written before, which name aircraft by slug; v8-serialized ones start with 0xFF. */
const NAMED_FORMAT = 2;

/**
 * Every aircraft's views and visitors in one hour of one partition (the `views` row). An hour that
 * still takes views is open: a bucket object and `Sketch` per aircraft. Once event time has moved
 * on (`pack`), it is packed: the slugs (ids in its row, slug-dictionary.ts), a `Uint32Array` of views and one byte array of all its
 * sketches with delta-coded entries (about 2–3 bytes an entry, outside the JavaScript heap). At
 * 1 M views the open layout held ~290,000 such buckets at ~200 bytes of objects each plus 8 bytes
 * an entry, most of the consumer's heap, and the garbage collector walked all of it; 30 days of
 * packed hours cost the bytes of their entries. A late view for a packed hour opens it again.
 *
 * Aircraft are addressed by slot (0..size-1) so that the snapshot can count unions straight from
 * the packed bytes (`unionInto`) without unpacking or allocating.
 */
export class AircraftHour {
  /** Open: slot by slug, and per slot its bucket. */
  #index: Map<string, number> | null = new Map();
  #buckets: AircraftBucket[] | null = [];
  /** Slugs by slot (interned), in both layouts; a row read back names them by id until the hour is opened. */
  #slugs: string[] | SlugIds = [];
  /** Packed: views by slot, each slot's sketch offset in `#sketches`, and the packed sketches. */
  #views: Uint32Array | null = null;
  #offsets: Uint32Array | null = null;
  #sketches: Uint8Array | null = null;

  get size(): number {
    return this.#slugs.length;
  }

  get packed(): boolean {
    return this.#sketches !== null;
  }

  slugAt(slot: number): string {
    return this.#slugs.at(slot) as string;
  }

  viewsAt(slot: number): number {
    return this.#buckets ? (this.#buckets[slot] as AircraftBucket).views : (this.#views as Uint32Array)[slot] as number;
  }

  /** Adds the slot's visitors to `union`. */
  unionInto(slot: number, union: SketchUnion): void {
    if (this.#buckets) union.add((this.#buckets[slot] as AircraftBucket).visitors);
    else union.addPacked(this.#sketches as Uint8Array, (this.#offsets as Uint32Array)[slot] as number);
  }

  /** Calls `visit` with each entry (`index << 6 | rank`) of the slot's sketch, by register. */
  entriesAt(slot: number, visit: (entry: number) => void): void {
    if (this.#buckets) (this.#buckets[slot] as AircraftBucket).visitors.forEachEntry(visit);
    else Sketch.forEachPacked(new ByteReader(this.#sketches as Uint8Array, (this.#offsets as Uint32Array)[slot] as number), visit);
  }

  /** Raises `ranks` (one byte per register) to the slot's sketch (aircraft-day.ts, `laterRanks`). */
  raiseInto(slot: number, ranks: Uint8Array): void {
    if (this.#buckets) (this.#buckets[slot] as AircraftBucket).visitors.raiseInto(ranks);
    else Sketch.raisePacked(this.#sketches as Uint8Array, (this.#offsets as Uint32Array)[slot] as number, ranks);
  }

  /** The aircraft's bucket, created when missing; opens a packed hour (a late view). */
  bucket(slug: string): AircraftBucket {
    if (!this.#buckets) this.#open();
    const index = this.#index as Map<string, number>;
    const buckets = this.#buckets as AircraftBucket[];
    const slot = index.get(slug);
    if (slot !== undefined) return buckets[slot] as AircraftBucket;
    const shared = intern(slug);
    const bucket = { views: 0, visitors: new Sketch() };
    index.set(shared, buckets.length);
    buckets.push(bucket);
    (this.#slugs as string[]).push(shared);
    return bucket;
  }

  /** Moves an open hour to the packed layout (no-op when packed). */
  pack(): void {
    const buckets = this.#buckets;
    if (!buckets) return;
    const views = new Uint32Array(buckets.length);
    const offsets = new Uint32Array(buckets.length);
    const out = new ByteWriter();
    buckets.forEach((b, slot) => {
      views[slot] = b.views;
      offsets[slot] = out.length;
      b.visitors.packInto(out);
    });
    this.#views = views;
    this.#offsets = offsets;
    this.#sketches = out.finish();
    this.#buckets = null;
    this.#index = null;
  }

  /**
   * The row value: format byte, slot count, the slots' aircraft as ids in `slugs` (given now to an
   * aircraft that has none), their views, then the packed sketches in slot order.
   */
  toBytes(slugs: SlugDictionary): Uint8Array {
    const out = new ByteWriter();
    out.uint(PACKED_FORMAT);
    out.uint(this.size);
    writeSlugIds(out, this.#slugs, slugs);
    for (let slot = 0; slot < this.size; slot++) out.uint(this.viewsAt(slot));
    if (this.#buckets) for (const b of this.#buckets) b.visitors.packInto(out);
    else out.bytes(this.#sketches as Uint8Array);
    return out.finish();
  }

  /**
   * Reads a row value (`toBytes`, whose ids `slugs` names, or the earlier rows that spell each slug
   * out before its views), packed; copies what it keeps.
   */
  static fromBytes(bytes: Uint8Array, slugs: SlugDictionary): AircraftHour {
    const hour = new AircraftHour();
    if (bytes[0] !== PACKED_FORMAT && bytes[0] !== NAMED_FORMAT) {
      const items = deserialize(bytes) as [string, number, Uint8Array][];
      for (const [slug, views, visitors] of items) {
        const bucket = hour.bucket(slug);
        bucket.views = views;
        bucket.visitors = Sketch.fromBytes(visitors);
      }
      hour.pack();
      return hour;
    }
    const reader = new ByteReader(bytes, 1);
    const n = reader.uint();
    const views = new Uint32Array(n);
    if (bytes[0] === NAMED_FORMAT) {
      const decoder = new TextDecoder();
      const names: string[] = [];
      for (let slot = 0; slot < n; slot++) {
        names.push(intern(decoder.decode(reader.take(reader.uint()))));
        views[slot] = reader.uint();
      }
      hour.#slugs = names;
    } else {
      hour.#slugs = readSlugIds(reader, n, slugs);
      for (let slot = 0; slot < n; slot++) views[slot] = reader.uint();
    }
    const start = reader.pos;
    const offsets = new Uint32Array(n);
    for (let slot = 0; slot < n; slot++) {
      offsets[slot] = reader.pos - start;
      Sketch.skipPacked(reader);
    }
    hour.#views = views;
    hour.#offsets = offsets;
    // A copy: `bytes` may be a view into a whole fetched changelog batch.
    hour.#sketches = bytes.slice(start, reader.pos);
    hour.#buckets = null;
    hour.#index = null;
    return hour;
  }

  #open(): void {
    const reader = new ByteReader(this.#sketches as Uint8Array);
    const views = this.#views as Uint32Array;
    const names = Array.from({ length: this.size }, (_, slot) => this.slugAt(slot));
    this.#slugs = names;
    this.#index = new Map(names.map((slug, slot) => [slug, slot]));
    this.#buckets = names.map((_, slot) => ({ views: views[slot] as number, visitors: Sketch.unpack(reader) }));
    this.#views = null;
    this.#offsets = null;
    this.#sketches = null;
  }
}
