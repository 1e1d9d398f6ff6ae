import { EmbeddedLog } from '../embedded-log.ts';
import { Batcher } from './batcher.ts';
import { SinkUnavailableError, type EventSink, type LogRecord } from './types.ts';

/**
 * The one-machine default: events go to the embedded durable log that the consumer reads.
 * Micro-batched, so one fsynced transaction carries many beacons.
 */
export class EmbeddedSink implements EventSink {
  readonly kind = 'embedded';
  readonly #log: EmbeddedLog;
  readonly #batcher: Batcher;
  #healthy = true;

  constructor(path: string, batching: { lingerMs: number; maxRecords: number; maxPending: number }) {
    this.#log = EmbeddedLog.open(path);
    this.#batcher = new Batcher(async (records) => {
      try {
        this.#log.append(records);
        this.#healthy = true;
      } catch (error) {
        this.#healthy = false;
        throw new SinkUnavailableError(`embedded log ${this.#log.path} is not writable: ${(error as Error).message}`);
      }
    }, batching);
  }

  send(records: readonly LogRecord[]): Promise<void> {
    return this.#batcher.add(records);
  }

  ready(): { ok: boolean; detail: string } {
    return { ok: this.#healthy, detail: this.#healthy ? `embedded log ${this.#log.path}` : 'embedded log not writable' };
  }

  async close(): Promise<void> {
    await this.#batcher.drain();
    this.#log.close();
  }
}
