import { SinkUnavailableError, type LogRecord } from './types.ts';

interface Waiting {
  records: readonly LogRecord[];
  done: () => void;
  fail: (error: unknown) => void;
}

/**
 * Micro-batching with bounded work (kafkajs has no linger): records wait up to `lingerMs` (or
 * until `maxRecords` are queued) and are then flushed together, one flush at a time. Each
 * caller's promise settles with the flush that carried its records. Past `maxPending` queued
 * records, `add` rejects at once with `SinkUnavailableError` (back-pressure → 503).
 */
export class Batcher {
  readonly #flush: (records: LogRecord[]) => Promise<void>;
  readonly #lingerMs: number;
  readonly #maxRecords: number;
  readonly #maxPending: number;
  #queue: Waiting[] = [];
  #queued = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(flush: (records: LogRecord[]) => Promise<void>, options: { lingerMs: number; maxRecords: number; maxPending: number }) {
    this.#flush = flush;
    this.#lingerMs = options.lingerMs;
    this.#maxRecords = options.maxRecords;
    this.#maxPending = options.maxPending;
  }

  get pending(): number {
    return this.#queued;
  }

  add(records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.#queued + records.length > this.#maxPending) {
      return Promise.reject(new SinkUnavailableError(`${this.#queued} records already waiting for the sink`, 1));
    }
    return new Promise<void>((done, fail) => {
      this.#queue.push({ records, done, fail });
      this.#queued += records.length;
      if (this.#queued >= this.#maxRecords) this.#kick();
      else this.#timer ??= setTimeout(() => this.#kick(), this.#lingerMs);
    });
  }

  /** Flushes everything queued now and waits for it. */
  async drain(): Promise<void> {
    while (this.#queued > 0 || this.#flushing) {
      this.#kick();
      await this.#flushing;
    }
  }

  #kick(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing || this.#queue.length === 0) return;
    this.#flushing = this.#run().finally(() => {
      this.#flushing = undefined;
      if (this.#queued > 0) this.#kick();
    });
  }

  async #run(): Promise<void> {
    const batch: Waiting[] = [];
    let count = 0;
    while (this.#queue.length > 0 && (count === 0 || count + (this.#queue[0]?.records.length ?? 0) <= this.#maxRecords)) {
      const next = this.#queue.shift();
      if (!next) break;
      batch.push(next);
      count += next.records.length;
    }
    this.#queued -= count;
    try {
      await this.#flush(batch.flatMap((w) => w.records));
      for (const w of batch) w.done();
    } catch (error) {
      for (const w of batch) w.fail(error);
    }
  }
}
