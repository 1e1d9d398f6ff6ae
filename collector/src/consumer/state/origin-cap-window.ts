import { hash53 } from './sketch.ts';

/**
 * What the per-origin cap needs to remember, bounded to the current and previous day of event time:
 * for each aircraft and origin (a network, many user agents), the first `max` distinct visitors
 * seen that day. A visitor beyond them still adds a view but no visitor, so one network cannot
 * buy rank or trending with many user agents. Keys and visitors are kept as 53-bit hashes.
 * Records without an origin (written before origins existed) are their own origin: never capped.
 *
 * A record dated before yesterday (a spool drained days late) is capped per its own day like any
 * other: admitting it uncapped would let a late burst of one network's user agents count in full,
 * and refusing its visitor would drop real visitors because Kafka was down. Such a late day is kept
 * (not pruned with the days the stream has left) for `lateDaysKept` days, as long as records that
 * old are accepted at all; only late records create one, so an in-order stream still remembers
 * two days. After a restart a late day is remembered only from its stored rows until the first
 * commit: a drain interrupted by a restart may let an origin reach the cap once more on that day.
 */
export class OriginCapWindow {
  readonly #max: number;
  readonly #lateDaysKept: number;
  readonly #byDay = new Map<number, Map<number, number[]>>();
  /** Days before yesterday that late records opened. */
  readonly #lateDays = new Set<number>();

  constructor(maxVisitorsPerOrigin: number, lateDaysKept: number) {
    this.#max = maxVisitorsPerOrigin;
    this.#lateDaysKept = lateDaysKept;
  }

  get enabled(): boolean {
    return Number.isFinite(this.#max);
  }

  /**
   * Whether `visitor` counts for `aircraft` on `day`; remembers it when it does. Returns the
   * `[key, visitor]` hashes to persist when something was remembered.
   */
  admit(aircraft: string, origin: string | undefined, visitor: string, day: number, newestDay: number): { counts: boolean; remembered?: [number, number] } {
    if (!this.enabled || origin === undefined || origin === visitor) return { counts: true };
    if (day < newestDay - 1) this.#lateDays.add(day);
    let keys = this.#byDay.get(day);
    if (!keys) this.#byDay.set(day, (keys = new Map()));
    const key = hash53(`${aircraft}|${origin}`);
    const v = hash53(visitor);
    const counted = keys.get(key);
    if (counted?.includes(v)) return { counts: true };
    if (counted && counted.length >= this.#max) return { counts: false };
    if (counted) counted.push(v);
    else keys.set(key, [v]);
    return { counts: true, remembered: [key, v] };
  }

  load(day: number, pairs: Float64Array): void {
    let keys = this.#byDay.get(day);
    if (!keys) this.#byDay.set(day, (keys = new Map()));
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const key = pairs[i] as number;
      const visitor = pairs[i + 1] as number;
      const counted = keys.get(key);
      // A row written twice (a member that lost the partition storing late) must not count a visitor twice.
      if (!counted) keys.set(key, [visitor]);
      else if (!counted.includes(visitor)) counted.push(visitor);
    }
  }

  /** Forgets days before yesterday, and late days past `lateDaysKept`; returns them. */
  prune(newestDay: number): number[] {
    const dropped: number[] = [];
    for (const day of this.#byDay.keys()) {
      const keep = day >= newestDay - 1 || (this.#lateDays.has(day) && day > newestDay - this.#lateDaysKept);
      if (!keep) {
        this.#byDay.delete(day);
        this.#lateDays.delete(day);
        dropped.push(day);
      }
    }
    return dropped;
  }
}
