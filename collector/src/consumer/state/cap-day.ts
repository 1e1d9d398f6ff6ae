import { findSlot } from './number-table.ts';

/** `CapDay.admit`'s answers. */
export const REFUSED = 0;
/** The visitor was admitted for the key before: it counts again, nothing new to remember. */
export const AGAIN = 1;
/** The visitor is admitted now (and remembered). */
export const ADMITTED = 2;

/** Recent pairs are merged into the sorted run once there are this many, or an eighth of the run. */
const MERGE_MIN = 4_096;
const EMPTY_KEYS = new Float64Array(0);
const EMPTY_VISITORS = new Uint32Array(0);

/**
 * One day of the per-origin cap: the visitors admitted per key (an (aircraft, origin) pair as a
 * 53-bit hash), each visitor as a 32-bit fingerprint (the low half of its 53-bit hash).
 *
 * Most of a day's pairs sit in a sorted run, two typed arrays (keys, and beside each key one
 * visitor: 12 bytes a pair), found by binary search. What was admitted since the last merge sits in
 * a small hash table keyed by key whose slots head a chain of visitors; it is merged into the run
 * once it holds an eighth of it, so the run is rebuilt a few times a day and the table stays small.
 * The two tables this replaces (counts per key, and every (key, visitor) pair hashed) cost ~36
 * bytes a pair while the day was current: ~11 MB for the three partitions' current day at the 10 M
 * bench stream's ~322,000 pairs a day.
 *
 * A fingerprint shared by two visitors of one key (about max / 2^32 per visitor tried once the key
 * is full) admits the second as if it were the first: it only matters at the cap's edge, and the
 * fingerprints come from the collector's salted visitor hashes, which a client cannot choose.
 */
export class CapDay {
  #runKeys = EMPTY_KEYS;
  #runVisitors = EMPTY_VISITORS;
  /** Recent keys (key + 1; 0 is a free slot), open addressing with linear probing. */
  #slots = new Float64Array(256);
  /** Per slot: 1 + pool index of its newest visitor. */
  #heads = new Uint32Array(256);
  #keys = 0;
  /** Recent visitors: fingerprint, and 1 + pool index of the key's next older one (0 ends). */
  #poolVisitors = new Uint32Array(256);
  #poolNext = new Uint32Array(256);
  #pairs = 0;

  /** Pairs held. */
  get size(): number {
    return this.#runKeys.length + this.#pairs;
  }

  /**
   * Whether `visitor` counts for `key` when at most `max` visitors may: `AGAIN` when it was
   * admitted before, `ADMITTED` when it is now (and is remembered), `REFUSED` when `max` others were.
   */
  admit(key: number, visitor: number, max: number): number {
    let admitted = 0;
    const slot = findSlot(this.#slots, key + 1);
    for (let p = this.#slots[slot] === 0 ? 0 : (this.#heads[slot] as number); p !== 0; p = this.#poolNext[p - 1] as number) {
      if (this.#poolVisitors[p - 1] === visitor) return AGAIN;
      admitted++;
    }
    const keys = this.#runKeys;
    for (let i = this.#first(key); i < keys.length && keys[i] === key; i++) {
      if (this.#runVisitors[i] === visitor) return AGAIN;
      admitted++;
    }
    if (admitted >= max) return REFUSED;
    this.#add(slot, key, visitor);
    return ADMITTED;
  }

  /** Adds a stored pair; a pair already held is not added again (a row written twice). */
  insert(key: number, visitor: number): void {
    this.admit(key, visitor, Number.POSITIVE_INFINITY);
  }

  /** Moves the recent pairs into the sorted run (a day that is no longer today takes few more). */
  seal(): void {
    if (this.#pairs > 0) this.#merge();
  }

  #add(slot: number, key: number, visitor: number): void {
    if (this.#slots[slot] === 0) {
      if ((this.#keys + 1) * 4 > this.#slots.length * 3) {
        this.#grow();
        slot = findSlot(this.#slots, key + 1);
      }
      this.#slots[slot] = key + 1;
      this.#heads[slot] = 0;
      this.#keys++;
    }
    if (this.#pairs === this.#poolVisitors.length) {
      const visitors = new Uint32Array(this.#pairs * 2);
      const next = new Uint32Array(this.#pairs * 2);
      visitors.set(this.#poolVisitors);
      next.set(this.#poolNext);
      this.#poolVisitors = visitors;
      this.#poolNext = next;
    }
    this.#poolVisitors[this.#pairs] = visitor;
    this.#poolNext[this.#pairs] = this.#heads[slot] as number;
    this.#heads[slot] = ++this.#pairs;
    if (this.#pairs >= Math.max(MERGE_MIN, this.#runKeys.length >> 3)) this.#merge();
  }

  /** Index of the first run entry whose key is not below `key`. */
  #first(key: number): number {
    const keys = this.#runKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The recent keys sorted (the typed array's own numeric sort), each with its chain, merged with the run. */
  #merge(): void {
    const recent = new Float64Array(this.#keys);
    let k = 0;
    for (let s = 0; s < this.#slots.length; s++) if (this.#slots[s] !== 0) recent[k++] = (this.#slots[s] as number) - 1;
    recent.sort();
    const runKeys = this.#runKeys;
    const runVisitors = this.#runVisitors;
    const keys = new Float64Array(runKeys.length + this.#pairs);
    const visitors = new Uint32Array(keys.length);
    let i = 0;
    let o = 0;
    for (let r = 0; r < recent.length; r++) {
      const key = recent[r] as number;
      while (i < runKeys.length && (runKeys[i] as number) <= key) {
        keys[o] = runKeys[i] as number;
        visitors[o++] = runVisitors[i++] as number;
      }
      for (let p = this.#heads[findSlot(this.#slots, key + 1)] as number; p !== 0; p = this.#poolNext[p - 1] as number) {
        keys[o] = key;
        visitors[o++] = this.#poolVisitors[p - 1] as number;
      }
    }
    keys.set(runKeys.subarray(i), o);
    visitors.set(runVisitors.subarray(i), o);
    this.#runKeys = keys;
    this.#runVisitors = visitors;
    this.#slots = new Float64Array(256);
    this.#heads = new Uint32Array(256);
    this.#keys = 0;
    this.#poolVisitors = new Uint32Array(256);
    this.#poolNext = new Uint32Array(256);
    this.#pairs = 0;
  }

  #grow(): void {
    const slots = this.#slots;
    const heads = this.#heads;
    this.#slots = new Float64Array(slots.length * 2);
    this.#heads = new Uint32Array(slots.length * 2);
    for (let s = 0; s < slots.length; s++) {
      const stored = slots[s] as number;
      if (stored === 0) continue;
      const slot = findSlot(this.#slots, stored);
      this.#slots[slot] = stored;
      this.#heads[slot] = heads[s] as number;
    }
  }
}

/** First byte of a `cap` row of (key, visitor fingerprint) pairs. Earlier rows (no format byte) are float64 (key, visitor hash) pairs, 16 bytes each. */
const CAP_FINGERPRINTS = 2;

/**
 * A `cap` row: the format byte, then per pair the key (float64, exact below 2^53) and the
 * visitor's fingerprint (uint32), little-endian: 12 bytes a pair where the earlier rows spent 16.
 * Its length is odd (1 + 12n), an earlier row's a multiple of 16: either is told by its length.
 */
export function encodeCapRow(pairs: readonly number[]): Uint8Array {
  const n = pairs.length / 2;
  const out = new Uint8Array(1 + 12 * n);
  out[0] = CAP_FINGERPRINTS;
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    view.setFloat64(1 + 12 * i, pairs[2 * i] as number, true);
    view.setUint32(9 + 12 * i, pairs[2 * i + 1] as number, true);
  }
  return out;
}

/** Calls `visit` with each (key, visitor fingerprint) of a `cap` row, of either format. */
export function forEachCapPair(value: Uint8Array, visit: (key: number, visitor: number) => void): void {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  if (value.byteLength % 16 === 0) {
    // The earlier format: the visitor's whole 53-bit hash, whose low 32 bits are its fingerprint.
    for (let at = 0; at < value.byteLength; at += 16) visit(view.getFloat64(at, true), view.getFloat64(at + 8, true) >>> 0);
    return;
  }
  if (value[0] !== CAP_FINGERPRINTS || (value.byteLength - 1) % 12 !== 0) throw new Error(`a cap row of ${value.byteLength} bytes starting with ${value[0]} is neither format: it was written by a newer consumer, or is not a cap row`);
  for (let at = 1; at < value.byteLength; at += 12) visit(view.getFloat64(at, true), view.getUint32(at + 8, true));
}
