/**
 * Event ids seen in the last `hours` hours of event time, by hour, for de-duplication. Duplicates
 * come from client and producer retries within minutes (a replay after a crash is excluded by the
 * stored offset instead), so memory is bounded by the ids of one window, not of the retention.
 */
export class DedupWindow {
  readonly #hours: number;
  readonly #byHour = new Map<number, Set<string>>();
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
  check(id: string, hour: number, newestHour: number): 'duplicate' | 'added' | 'untracked' {
    if (newestHour > this.#newestHour) this.#expire(newestHour);
    if (hour < newestHour - this.#hours) return 'untracked';
    for (const ids of this.#byHour.values()) if (ids.has(id)) return 'duplicate';
    let ids = this.#byHour.get(hour);
    if (!ids) this.#byHour.set(hour, (ids = new Set()));
    ids.add(id);
    return 'added';
  }

  /** Restores ids from storage. */
  load(hour: number, ids: Iterable<string>): void {
    let set = this.#byHour.get(hour);
    if (!set) this.#byHour.set(hour, (set = new Set()));
    for (const id of ids) set.add(id);
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
        this.#expired.push(hour);
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const ids of this.#byHour.values()) n += ids.size;
    return n;
  }
}
