import { hash53 } from './sketch.ts';

/**
 * What the per-origin cap needs to remember, bounded to the current and previous day of event time:
 * for each aircraft and origin (a network, many user agents), the first `max` distinct visitors
 * seen that day. A visitor beyond them still adds a view but no visitor, so one network cannot
 * buy rank or trending with many user agents. Keys and visitors are kept as 53-bit hashes.
 * Records without an origin (written before origins existed) are their own origin: never capped.
 */
export class OriginCapWindow {
  readonly #max: number;
  readonly #byDay = new Map<number, Map<number, number[]>>();

  constructor(maxVisitorsPerOrigin: number) {
    this.#max = maxVisitorsPerOrigin;
  }

  get enabled(): boolean {
    return Number.isFinite(this.#max);
  }

  /**
   * Whether `visitor` counts for `aircraft` on `day`; remembers it when it does. Returns the
   * `[key, visitor]` hashes to persist when something was remembered. Days older than yesterday
   * (late events) are admitted: their counts are no longer tracked.
   */
  admit(aircraft: string, origin: string | undefined, visitor: string, day: number, newestDay: number): { counts: boolean; remembered?: [number, number] } {
    if (!this.enabled || origin === undefined || origin === visitor || day < newestDay - 1) return { counts: true };
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

  /** Forgets days before yesterday; returns them. */
  prune(newestDay: number): number[] {
    const dropped: number[] = [];
    for (const day of this.#byDay.keys()) {
      if (day < newestDay - 1) {
        this.#byDay.delete(day);
        dropped.push(day);
      }
    }
    return dropped;
  }
}
