import { setTimeout as sleep } from 'node:timers/promises';
import type { EmbeddedLog } from '../embedded-log.ts';
import type { EventSource, PartitionProcessor } from './types.ts';

/** How often records the consumer has passed are checked against the retention. */
const TRUNCATE_EVERY_MS = 60_000;

/**
 * Reads the embedded durable log (one partition per topic), polling for new records, and deletes
 * what it has passed once the retention is over (the embedded stand-in for Kafka's retention).
 */
export class EmbeddedSource implements EventSource {
  readonly #log: EmbeddedLog;
  readonly #engine: PartitionProcessor;
  readonly #topics: readonly string[];
  readonly #retentionMs: number;
  readonly #afterBatch: () => void;
  #running = false;
  #loop: Promise<void> | undefined;
  #lastTruncate = 0;

  constructor(log: EmbeddedLog, engine: PartitionProcessor, topics: readonly string[], options: { retentionMs: number; afterBatch: () => void }) {
    this.#log = log;
    this.#engine = engine;
    this.#topics = topics;
    this.#retentionMs = options.retentionMs;
    this.#afterBatch = options.afterBatch;
  }

  /** The embedded log's one partition per topic, all owned by this (only) member. */
  get assigned(): readonly string[] {
    return this.#running ? this.#topics.map((t) => `${t}:0`) : [];
  }

  async start(): Promise<void> {
    this.#engine.assign(this.#topics.map((t) => `${t}:0`));
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let read = 0;
      for (const topic of this.#topics) {
        const key = `${topic}:0`;
        const batch = this.#log.read(topic, Number(this.#engine.nextOffset(key)), 2_000);
        if (batch.length === 0) continue;
        read += batch.length;
        await this.#engine.applyBatch(key, topic, batch.map((r) => ({ offset: String(r.offset), value: r.value })));
      }
      if (Date.now() - this.#lastTruncate >= TRUNCATE_EVERY_MS) this.#truncate();
      if (read > 0) this.#afterBatch();
      else await sleep(100);
    }
  }

  #truncate(): void {
    this.#lastTruncate = Date.now();
    // Only what the stored state has passed: a record applied but not stored yet is read again after a crash.
    for (const topic of this.#topics) this.#log.truncate(topic, Number(this.#engine.storedOffset(`${topic}:0`)), this.#retentionMs);
  }

  async lag(): Promise<Map<string, number>> {
    return new Map(this.#topics.map((t) => [`${t}:0`, Math.max(0, this.#log.endOffset(t) - Number(this.#engine.nextOffset(`${t}:0`)))]));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#engine.flush();
  }
}
