import { FrozenNumberTable, NumberTable } from './number-table.ts';
import { hash53, hash53Joined, pairHash } from './sketch.ts';

/** One day of the cap: admitted visitors per (aircraft, origin), and which (aircraft, origin, visitor) were admitted. */
interface CapDay {
  counts: NumberTable;
  pairs: NumberTable;
  /**
   * Stored rows not yet in the tables: they are built from them when the day is first asked about.
   * A member replaying the changelog reads every day's pairs while the days are current, and the
   * owner's tombstones drop most days before anything asks (restoring 3 M records, building the
   * tables of 30 days took 1.35 s of 3.2 s); another member's partitions are never asked at all.
   */
  stored: Float64Array[];
  /** A past day's pairs and counts, frozen (`prune`); `counts` and `pairs` then hold only what was added since. */
  frozen: { counts: FrozenNumberTable; pairs: FrozenNumberTable } | null;
}

/** A past day's tables are frozen again once this many pairs were added to it since (late records). */
const REFREEZE_AFTER = 4_096;

const emptyDay = (): CapDay => ({ counts: new NumberTable(), pairs: new NumberTable(), stored: [], frozen: null });
const pairsOf = (tables: CapDay, pair: number): number => tables.pairs.get(pair) + (tables.frozen?.pairs.get(pair) ?? 0);
const countOf = (tables: CapDay, key: number): number => tables.counts.get(key) + (tables.frozen?.counts.get(key) ?? 0);

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
  /**
   * Per day, typed-array tables (number-table.ts): a day holds every (aircraft, origin) pair of the
   * day's views, and as `Map`s of arrays they were the one part of the state that grew with
   * traffic per day (~100 bytes a pair, all of it for the garbage collector to walk).
   */
  readonly #byDay = new Map<number, CapDay>();
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
   * `remember` the day and the `key, visitor` hashes to persist. Nothing is allocated per call
   * (it runs once per view read): no result object, no `aircraft|origin` string.
   */
  admit(aircraft: string, origin: string | undefined, visitor: string, day: number, newestDay: number, remember: (day: number, key: number, visitor: number) => void): boolean {
    if (!this.enabled || origin === undefined || origin === visitor) return true;
    if (day < newestDay - 1) this.#lateDays.add(day);
    const tables = this.#day(day);
    const key = hash53Joined(aircraft, origin);
    const v = hash53(visitor);
    const pair = pairHash(key, v);
    if (pairsOf(tables, pair) > 0) return true;
    if (countOf(tables, key) >= this.#max) return false;
    tables.pairs.increment(pair);
    tables.counts.increment(key);
    remember(day, key, v);
    return true;
  }

  /** Restores the pairs of one stored row (`pairs` is kept: pass a copy). */
  load(day: number, pairs: Float64Array): void {
    let tables = this.#byDay.get(day);
    if (!tables) this.#byDay.set(day, (tables = emptyDay()));
    tables.stored.push(pairs);
  }

  #build(tables: CapDay, pairs: Float64Array): void {
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const key = pairs[i] as number;
      const pair = pairHash(key, pairs[i + 1] as number);
      // A row written twice (a member that lost the partition storing late) must not count a visitor twice.
      if (pairsOf(tables, pair) > 0) continue;
      tables.pairs.increment(pair);
      tables.counts.increment(key);
    }
  }

  #day(day: number): CapDay {
    let tables = this.#byDay.get(day);
    if (!tables) this.#byDay.set(day, (tables = emptyDay()));
    if (tables.stored.length > 0) {
      // In load order, as loading them one by one did.
      for (const pairs of tables.stored) this.#build(tables, pairs);
      tables.stored = [];
    }
    return tables;
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
   * Forgets days before yesterday, and late days past `lateDaysKept`; returns them. Days before
   * `newestDay` that are kept are frozen into sorted arrays (about 10 bytes a pair instead of ~36
   * in the two growing tables: at 10 M bench views yesterday's tables were ~5 MB a partition);
   * their answers are the same (`admit` reads both), and late records add to small tables beside them.
   */
  prune(newestDay: number): number[] {
    const dropped: number[] = [];
    for (const [day, tables] of this.#byDay) {
      const keep = day >= newestDay - 1 || (this.#lateDays.has(day) && day > newestDay - this.#lateDaysKept);
      if (!keep) {
        this.#byDay.delete(day);
        this.#lateDays.delete(day);
        dropped.push(day);
      } else if (day < newestDay && tables.stored.length === 0 && (tables.frozen === null ? tables.pairs.size > 0 : tables.pairs.size >= REFREEZE_AFTER)) {
        this.#byDay.set(day, this.#freeze(tables));
      }
    }
    return dropped;
  }

  #freeze(tables: CapDay): CapDay {
    const frozen = tables.frozen;
    return {
      counts: new NumberTable(),
      pairs: new NumberTable(),
      stored: [],
      frozen: {
        counts: new FrozenNumberTable(frozen ? [frozen.counts, tables.counts] : [tables.counts], true),
        pairs: new FrozenNumberTable(frozen ? [frozen.pairs, tables.pairs] : [tables.pairs], false),
      },
    };
  }
}
