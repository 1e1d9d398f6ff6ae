import type { Logger } from 'pino';
import { parseStoredRecord, type Popularity } from '@hangarstack/shared';
import type { ConsumerMetrics } from './metrics.ts';
import { PartitionState } from './partition-state.ts';
import type { PartitionProcessor, SourceRecord } from '../transport/sources/types.ts';
import { buildSnapshot } from './snapshot/build-snapshot.ts';
import type { PopularityStore } from './popularity-store.ts';
import type { StateStore } from './state-store.ts';

export interface EngineOptions {
  stateStore: StateStore;
  popularityStore: PopularityStore;
  metrics: ConsumerMetrics;
  log: Logger;
  kAnonymity: number;
  kind: 'kafka' | 'embedded';
  /** Called after every published snapshot (the rebuild trigger listens here). */
  onPublished?: (popularity: Popularity) => void;
  now?: () => number;
}

/**
 * The source-agnostic core: applies a partition's batch to its state, persists the state with
 * the batch's next offset (atomically, before anything is published), then publishes the merged
 * snapshot. A crash at any point leaves either the old state and offset or the new ones, and
 * replaying records that are already in a state is a no-op (event-id de-duplication), so a
 * restarted consumer ends with exactly the state an uninterrupted one would have.
 */
export class PopularityEngine implements PartitionProcessor {
  readonly #o: EngineOptions;
  readonly #owned = new Map<string, PartitionState>();
  readonly #now: () => number;
  #publishing: Promise<void> = Promise.resolve();

  constructor(options: EngineOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Takes ownership of partitions (after a group join): their state is (re)loaded from the store. */
  assign(keys: readonly string[]): void {
    this.#owned.clear();
    for (const key of keys) this.#owned.set(key, this.#o.stateStore.load(key) ?? new PartitionState(key));
  }

  /** Where to resume reading a partition: the offset its persisted state reflects. */
  nextOffset(key: string): string {
    return this.#state(key).nextOffset;
  }

  async applyBatch(key: string, topic: string, records: readonly SourceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const state = this.#state(key);
    const now = this.#now();
    let applied = 0;
    for (const record of records) {
      if (BigInt(record.offset) < BigInt(state.nextOffset)) {
        this.#o.metrics.dropped.inc({ reason: 'duplicate' });
        continue;
      }
      const parsed = parseStoredRecord(record.value);
      if (!parsed) {
        this.#o.metrics.dropped.inc({ reason: 'invalid' });
        this.#o.log.warn({ partition: key, offset: record.offset }, 'skipping a record that is not a valid event record');
        continue;
      }
      const outcome = state.apply(parsed, now);
      if (outcome === 'applied') applied += 1;
      else this.#o.metrics.dropped.inc({ reason: outcome });
    }
    const last = records.at(-1);
    if (last && BigInt(last.offset) >= BigInt(state.nextOffset)) state.nextOffset = (BigInt(last.offset) + 1n).toString();
    state.prune();
    this.#o.stateStore.save(state);
    this.#o.metrics.processed.inc({ topic }, applied);
  }

  /** Publishes the snapshot merged from every partition's state (also those other members own). */
  publish(): Promise<void> {
    this.#publishing = this.#publishing.then(async () => {
      const states = new Map(this.#o.stateStore.loadAll().map((s) => [s.key, s]));
      for (const [key, state] of this.#owned) states.set(key, state);
      // A partition nothing was read from yet is left out, whichever member owns it, so every
      // member publishes the same snapshot.
      const read = [...states.values()].filter((s) => s.nextOffset !== '0');
      const { popularity, report } = buildSnapshot(read, {
        kAnonymity: this.#o.kAnonymity,
        kind: this.#o.kind,
        generatedAt: new Date(this.#now()),
      });
      await this.#o.popularityStore.publish(popularity, report);
      this.#o.metrics.snapshotTimestamp.set(this.#now() / 1000);
      this.#o.onPublished?.(popularity);
    });
    return this.#publishing;
  }

  #state(key: string): PartitionState {
    let state = this.#owned.get(key);
    if (!state) {
      state = this.#o.stateStore.load(key) ?? new PartitionState(key);
      this.#owned.set(key, state);
    }
    return state;
  }
}
