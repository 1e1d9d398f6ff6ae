/**
 * A hash table from 53-bit hash numbers to small counts, in two typed arrays (open addressing,
 * linear probing, doubled at 3/4 full): about 14–20 bytes an entry and no object per entry,
 * where a `Map<number, number[]>` costs ~100 bytes and a garbage-collected object or two. For the
 * de-duplication window's event id hashes per hour. Keys must be whole numbers in [0, 2^53);
 * key + 1 is stored so that 0 marks a free slot.
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
    const slot = findSlot(this.#keys, key + 1);
    return this.#keys[slot] === 0 ? 0 : (this.#counts[slot] as number);
  }

  /** Adds 1 to the key's count (65,535 at most); returns the new count. */
  increment(key: number): number {
    const stored = key + 1;
    let slot = findSlot(this.#keys, stored);
    if (this.#keys[slot] === 0) {
      if ((this.#size + 1) * 4 > this.#keys.length * 3) {
        this.#grow();
        slot = findSlot(this.#keys, stored);
      }
      this.#keys[slot] = stored;
      this.#size++;
    }
    const count = Math.min((this.#counts[slot] as number) + 1, 0xffff);
    this.#counts[slot] = count;
    return count;
  }

  #grow(): void {
    const keys = this.#keys;
    const counts = this.#counts;
    this.#keys = new Float64Array(keys.length * 2);
    this.#counts = new Uint16Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const stored = keys[i] as number;
      if (stored === 0) continue;
      const slot = findSlot(this.#keys, stored);
      this.#keys[slot] = stored;
      this.#counts[slot] = counts[i] as number;
    }
  }
}

/**
 * The slot of `keys` (open addressing, linear probing, a power of two long) holding `stored`, or
 * the free slot (0) where it would go. Shared by the tables keyed by 53-bit hashes + 1.
 */
export function findSlot(keys: Float64Array, stored: number): number {
  const mask = keys.length - 1;
  // The keys are already hashes: their low 32 bits, mixed once, spread them well.
  let slot = (Math.imul(stored >>> 0, 0x9e3779b1) >>> 0) & mask;
  for (;;) {
    const at = keys[slot] as number;
    if (at === stored || at === 0) return slot;
    slot = (slot + 1) & mask;
  }
}
