import { intern } from './intern.ts';
import { ByteReader, ByteWriter } from './varint.ts';

/**
 * A partition's aircraft slugs by number, so that its `views` and `viewdays` rows name an aircraft
 * by a one- or two-byte id instead of its slug (~19 bytes): at the 10 M bench stream the slugs were
 * 3.0 of the hourly rows' 8.6 MB, one per aircraft and hour.
 *
 * Ids are given in the order slugs are first written and never change or go, so the dictionary is
 * stored append-only: each commit that gave new ids adds one `slugs` row (item: its first id) that
 * is never rewritten. A row naming an id is written in the same transaction as, and after, the
 * `slugs` row that gives it, and the store lists `slugs` rows before `views` and `viewdays` ones,
 * so whatever restores the partition (the store, or the changelog in its order) reads an id before
 * any row that uses it. It holds every slug the partition ever counted: the catalogue's (the
 * collector accepts no other), a few kilobytes.
 */
export class SlugDictionary {
  readonly #slugs: string[] = [];
  readonly #ids = new Map<string, number>();
  /** Ids from here on were given since the last `takeRow`. */
  #saved = 0;

  /** The slug's id, given now when it has none. */
  idOf(slug: string): number {
    let id = this.#ids.get(slug);
    if (id === undefined) {
      id = this.#slugs.length;
      this.#slugs.push(intern(slug));
      this.#ids.set(slug, id);
    }
    return id;
  }

  /** The slug with id `id` (interned). */
  at(id: number): string {
    const slug = this.#slugs[id];
    if (slug === undefined) throw new Error(`no slug has id ${id} in this partition's dictionary: its \`slugs\` rows are missing from the store or the changelog (restore the partition from the changelog, or delete the local store)`);
    return slug;
  }

  /** The row of the ids given since the last call (`item`: the first of them), or null when none were. */
  takeRow(): { item: string; value: Uint8Array } | null {
    if (this.#saved === this.#slugs.length) return null;
    const out = new ByteWriter();
    const encoder = new TextEncoder();
    out.uint(this.#slugs.length - this.#saved);
    for (let id = this.#saved; id < this.#slugs.length; id++) {
      const name = encoder.encode(this.#slugs[id]);
      out.uint(name.length);
      out.bytes(name);
    }
    const row = { item: slugsItem(this.#saved), value: out.finish() };
    this.#saved = this.#slugs.length;
    return row;
  }

  /**
   * Restores one stored `slugs` row, or its deletion (null). Rows come in the order of their first
   * ids (the store sorts the padded items, the changelog holds them in the order they were
   * written). A row for ids already held replaces them and every later one: it is the rewrite of a
   * write that failed (`PartitionState.rewrite`), and the rows after the failed one were built on
   * the rewrite, not on it.
   */
  load(item: string, value: Uint8Array | null): void {
    const first = Number(item);
    if (first < this.#slugs.length) {
      for (let id = first; id < this.#slugs.length; id++) this.#ids.delete(this.#slugs[id] as string);
      this.#slugs.length = first;
    }
    if (value) {
      const reader = new ByteReader(value);
      const decoder = new TextDecoder();
      for (let n = reader.uint(), id = first; n > 0; n--, id++) {
        const slug = intern(decoder.decode(reader.take(reader.uint())));
        this.#ids.set(slug, id);
        this.#slugs[id] = slug;
      }
    }
    this.#saved = this.#slugs.length;
  }
}

/** A `slugs` row's item: its first id, zero-padded so that the store's text order is the ids' order. */
const slugsItem = (first: number): string => String(first).padStart(10, '0');

/**
 * The aircraft of a row's slots as ids, named by the partition's dictionary when asked: rows may be
 * loaded before the `slugs` rows that name their ids (a store or test that lists rows in another
 * order), and by the time anything asks every row is loaded. `at` and `length` as an array's.
 */
export class SlugIds {
  readonly ids: Uint32Array;
  readonly dictionary: SlugDictionary;

  constructor(ids: Uint32Array, dictionary: SlugDictionary) {
    this.ids = ids;
    this.dictionary = dictionary;
  }

  get length(): number {
    return this.ids.length;
  }

  at(slot: number): string {
    return this.dictionary.at(this.ids[slot] as number);
  }
}

/** Writes the slot names' ids in `slugs` (given now to a slug that has none). */
export function writeSlugIds(out: ByteWriter, names: readonly string[] | SlugIds, slugs: SlugDictionary): void {
  if (names instanceof SlugIds && names.dictionary === slugs) for (const id of names.ids) out.uint(id);
  else for (let slot = 0; slot < names.length; slot++) out.uint(slugs.idOf(names.at(slot) as string));
}

/** Reads `n` slot ids of a row (`writeSlugIds`). */
export function readSlugIds(reader: ByteReader, n: number, slugs: SlugDictionary): SlugIds {
  const ids = new Uint32Array(n);
  for (let slot = 0; slot < n; slot++) ids[slot] = reader.uint();
  return new SlugIds(ids, slugs);
}
