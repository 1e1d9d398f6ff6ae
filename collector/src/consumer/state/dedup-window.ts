import { NumberTable } from './number-table.ts';

/**
 * Event ids seen in the last `hours` hours of event time, by hour, for de-duplication. Duplicates
 * come from client and producer retries within minutes (a replay after a crash is excluded by the
 * stored offset instead), so memory is bounded by the ids of one window, not of the retention.
 * Ids are kept as 53-bit hashes (`hash53`) in typed-array tables: 8 bytes an id in the stored row
 * instead of its ~25 characters, and no string per id for the garbage collector. Two ids of one
 * window sharing a hash (about 1 in 10^7 windows at 30,000 ids) would drop one as a duplicate.
 */
export class DedupWindow {
  readonly #hours: number;
  readonly #byHour = new Map<number, NumberTable>();
  /**
   * Stored rows not yet in their hour's table, read when the window is first asked about (as the
   * cap's days are): a member replaying the changelog reads every hour's ids, and the owner's
   * tombstones drop most hours before anything is checked against them.
   */
  readonly #stored = new Map<number, (() => Iterable<number>)[]>();
  /** Hours that left the window since the last `prune` (their stored rows are deleted then). */
  #expired: number[] = [];
  #newestHour = Number.NEGATIVE_INFINITY;

  constructor(hours: number) {
    this.#hours = hours;
  }

  get hours(): number {
    return this.#hours;
  }

  /**
   * 'duplicate' when `id` was seen in a kept hour; else remembers it under `hour` ('added'), or
   * not at all when `hour` is already before the window ('untracked'). Hours leave the window as
   * soon as event time passes them, not only when stored: with many batches stored together an
   * id is otherwise looked up in every hour they span.
   */
  check(id: number, hour: number, newestHour: number): 'duplicate' | 'added' | 'untracked' {
    if (newestHour > this.#newestHour) this.#expire(newestHour);
    if (hour < newestHour - this.#hours) return 'untracked';
    if (this.#stored.size > 0) this.#build();
    for (const ids of this.#byHour.values()) if (ids.get(id) > 0) return 'duplicate';
    this.#hour(hour).increment(id);
    return 'added';
  }

  /** Restores the id hashes of one stored row, read when the window is first asked about. */
  load(hour: number, ids: () => Iterable<number>): void {
    this.#hour(hour);
    const stored = this.#stored.get(hour);
    if (stored) stored.push(ids);
    else this.#stored.set(hour, [ids]);
  }

  #build(): void {
    for (const [hour, rows] of this.#stored) {
      const table = this.#hour(hour);
      for (const ids of rows) for (const id of ids()) if (table.get(id) === 0) table.increment(id);
    }
    this.#stored.clear();
  }

  #hour(hour: number): NumberTable {
    let ids = this.#byHour.get(hour);
    if (!ids) this.#byHour.set(hour, (ids = new NumberTable()));
    return ids;
  }

  /** Forgets an hour whose stored rows were all deleted (another member's, replayed from the changelog). */
  forget(hour: number): void {
    this.#byHour.delete(hour);
    this.#stored.delete(hour);
  }

  /** Forgets hours before the window; returns every hour that left it since the last call. */
  prune(newestHour: number): number[] {
    this.#expire(newestHour);
    const dropped = this.#expired;
    this.#expired = [];
    return dropped;
  }

  #expire(newestHour: number): void {
    this.#newestHour = Math.max(this.#newestHour, newestHour);
    for (const hour of this.#byHour.keys()) {
      if (hour < this.#newestHour - this.#hours) {
        this.#byHour.delete(hour);
        this.#stored.delete(hour);
        this.#expired.push(hour);
      }
    }
  }

  get size(): number {
    if (this.#stored.size > 0) this.#build();
    let n = 0;
    for (const ids of this.#byHour.values()) n += ids.size;
    return n;
  }
}
