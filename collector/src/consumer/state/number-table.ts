/**
 * A hash table from 53-bit hash numbers to small counts, in two typed arrays (open addressing,
 * linear probing, doubled at 3/4 full): about 14–20 bytes an entry and no object per entry,
 * where a `Map<number, number[]>` costs ~100 bytes and a garbage-collected object or two. For the
 * per-origin cap, whose day tables hold every (aircraft, origin) and (aircraft, origin, visitor)
 * of a day. Keys must be whole numbers in [0, 2^53); key + 1 is stored so that 0 marks a free slot.
 */
export class NumberTable {
  #keys = new Float64Array(1024);
  #counts = new Uint16Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The key's count, 0 when absent. */
  get(key: number): number {
    const slot = this.#find(key + 1);
    return this.#keys[slot] === 0 ? 0 : (this.#counts[slot] as number);
  }

  /** Adds 1 to the key's count (65,535 at most); returns the new count. */
  increment(key: number): number {
    const stored = key + 1;
    let slot = this.#find(stored);
    if (this.#keys[slot] === 0) {
      if ((this.#size + 1) * 4 > this.#keys.length * 3) {
        this.#grow();
        slot = this.#find(stored);
      }
      this.#keys[slot] = stored;
      this.#size++;
    }
    const count = Math.min((this.#counts[slot] as number) + 1, 0xffff);
    this.#counts[slot] = count;
    return count;
  }

  /** Calls `visit` with every key and its count, in no particular order. */
  forEach(visit: (key: number, count: number) => void): void {
    for (let i = 0; i < this.#keys.length; i++) {
      const stored = this.#keys[i] as number;
      if (stored !== 0) visit(stored - 1, this.#counts[i] as number);
    }
  }

  /** The slot holding `stored`, or the free slot where it would go. */
  #find(stored: number): number {
    const mask = this.#keys.length - 1;
    // The keys are already hashes: their low 32 bits, mixed once, spread them well.
    let slot = (Math.imul(stored >>> 0, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const at = this.#keys[slot] as number;
      if (at === stored || at === 0) return slot;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const counts = this.#counts;
    this.#keys = new Float64Array(keys.length * 2);
    this.#counts = new Uint16Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const stored = keys[i] as number;
      if (stored === 0) continue;
      const slot = this.#find(stored);
      this.#keys[slot] = stored;
      this.#counts[slot] = counts[i] as number;
    }
  }
}

/** What a frozen table is made of: growing tables, or an older frozen one. */
interface FrozenPart {
  readonly size: number;
  get(key: number): number;
  forEach(visit: (key: number, count: number) => void): void;
}

/**
 * Keys and counts of `NumberTable`s merged and frozen into sorted typed arrays (counts summed),
 * looked up by binary search: 8 bytes a key (10 with counts) where a growing table holds 10 bytes
 * per slot at a load between 3/8 and 3/4, about 18 bytes a key. For tables that stop growing (the
 * per-origin cap's past days).
 */
export class FrozenNumberTable {
  readonly #keys: Float64Array;
  /** Null for a set: every key counts 1. */
  readonly #counts: Uint16Array | null;

  constructor(parts: readonly FrozenPart[], withCounts: boolean) {
    // The keys sorted by the typed array's own numeric sort: an index array sorted through a
    // comparator closure took ~1 s of CPU per 1 M bench records (a day's tables of each partition
    // frozen at every day boundary); the counts are summed from the parts afterwards.
    const keys = new Float64Array(parts.reduce((n, part) => n + part.size, 0));
    let n = 0;
    for (const part of parts)
      part.forEach((key) => {
        keys[n++] = key;
      });
    keys.sort();
    let distinct = 0;
    for (let i = 0; i < n; i++) if (distinct === 0 || keys[distinct - 1] !== keys[i]) keys[distinct++] = keys[i] as number;
    this.#keys = keys.slice(0, distinct);
    this.#counts = withCounts ? new Uint16Array(distinct) : null;
    for (let i = 0; this.#counts && i < distinct; i++) {
      let sum = 0;
      for (const part of parts) sum += part.get(this.#keys[i] as number);
      this.#counts[i] = Math.min(sum, 0xffff);
    }
  }

  get size(): number {
    return this.#keys.length;
  }

  forEach(visit: (key: number, count: number) => void): void {
    for (let i = 0; i < this.#keys.length; i++) visit(this.#keys[i] as number, this.#counts ? (this.#counts[i] as number) : 1);
  }

  /** The key's count, 0 when absent. */
  get(key: number): number {
    let lo = 0;
    let hi = this.#keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.#keys[mid] as number;
      if (at === key) return this.#counts ? (this.#counts[mid] as number) : 1;
      if (at < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }
}
