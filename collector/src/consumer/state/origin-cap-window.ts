import { ADMITTED, AGAIN, CapDay, forEachCapPair } from './cap-day.ts';
import { hash53, hash53Joined } from './sketch.ts';

interface Day {
  pairs: CapDay;
  /**
   * Stored rows not yet in `pairs`: they are added when the day is first asked about. A member
   * replaying the changelog reads every day's pairs while the days are current, and the owner's
   * tombstones drop most days before anything asks (restoring 3 M records, building the tables of
   * 30 days took 1.35 s of 3.2 s); another member's partitions are never asked at all.
   */
  stored: Uint8Array[];
  /** Whether the day's recent pairs were merged into its run since it stopped being today. */
  sealed: boolean;
}

/**
 * What the per-origin cap needs to remember, bounded to the current and previous day of event time:
 * for each aircraft and origin (a network, many user agents), the first `max` distinct visitors
 * seen that day. A visitor beyond them still adds a view but no visitor, so one network cannot
 * buy rank or trending with many user agents. Keys are kept as 53-bit hashes, visitors as 32-bit
 * fingerprints (cap-day.ts).
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
  /**
   * Per day, its pairs (cap-day.ts: a sorted run of 12 bytes a pair and a small table of the
   * recent ones): a day holds every (aircraft, origin, visitor) of the day's views, the one part
   * of the state that grows with traffic per day.
   */
  readonly #byDay = new Map<number, Day>();
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
   * Whether `visitor` counts for `aircraft` on `day`; remembers it when it does, and then hands
   * `remember` the day, the key hash and the visitor's fingerprint to persist. Nothing is
   * allocated per call (it runs once per view read): no result object, no `aircraft|origin` string.
   */
  admit(aircraft: string, origin: string | undefined, visitor: string, day: number, newestDay: number, remember: (day: number, key: number, visitor: number) => void): boolean {
    if (!this.enabled || origin === undefined || origin === visitor) return true;
    return this.admitKey(hash53Joined(aircraft, origin), hash53(visitor), day, newestDay, remember);
  }

  /**
   * `admit` with the key (`hash53Joined(aircraft, origin)`) and the visitor's `hash53` already
   * made (a view read from its bytes, partition-state.ts); the caller has checked that the view
   * has an origin other than its visitor.
   */
  admitKey(key: number, visitorHash: number, day: number, newestDay: number, remember: (day: number, key: number, visitor: number) => void): boolean {
    if (!this.enabled) return true;
    if (day < newestDay - 1) this.#lateDays.add(day);
    // The low 32 bits of the visitor's 53-bit hash (its fingerprint, cap-day.ts).
    const fingerprint = visitorHash >>> 0;
    const answer = this.#day(day).admit(key, fingerprint, this.#max);
    if (answer === ADMITTED) remember(day, key, fingerprint);
    return answer === ADMITTED || answer === AGAIN;
  }

  /** Restores the pairs of one stored `cap` row (either format, cap-day.ts; `value` is kept: pass a copy). */
  load(day: number, value: Uint8Array): void {
    let tables = this.#byDay.get(day);
    if (!tables) this.#byDay.set(day, (tables = emptyDay()));
    tables.stored.push(value);
  }

  #day(day: number): CapDay {
    let tables = this.#byDay.get(day);
    if (!tables) this.#byDay.set(day, (tables = emptyDay()));
    if (tables.stored.length > 0) {
      const pairs = tables.pairs;
      // In load order; a pair stored twice (a member that lost the partition storing late) counts once.
      for (const value of tables.stored) forEachCapPair(value, (key, visitor) => pairs.insert(key, visitor));
      tables.stored = [];
    }
    return tables.pairs;
  }

  /** Days held (the bench and tests check that a restore keeps no more than the owner). */
  get days(): number {
    return this.#byDay.size;
  }

  /** Forgets a day whose stored rows were all deleted (another member's, replayed from the changelog). */
  forget(day: number): void {
    this.#byDay.delete(day);
    this.#lateDays.delete(day);
  }

  /**
   * Forgets days before yesterday, and late days past `lateDaysKept`; returns them. A day kept
   * that is no longer today has its recent pairs merged into its sorted run once (`seal`): it takes
   * few more (late records), and those are merged as they add up.
   */
  prune(newestDay: number): number[] {
    const dropped: number[] = [];
    for (const [day, tables] of this.#byDay) {
      const keep = day >= newestDay - 1 || (this.#lateDays.has(day) && day > newestDay - this.#lateDaysKept);
      if (!keep) {
        this.#byDay.delete(day);
        this.#lateDays.delete(day);
        dropped.push(day);
      } else if (day < newestDay && !tables.sealed && tables.stored.length === 0) {
        tables.pairs.seal();
        tables.sealed = true;
      }
    }
    return dropped;
  }
}

const emptyDay = (): Day => ({ pairs: new CapDay(), stored: [], sealed: false });
