import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedLog } from '../embedded-log.ts';
import type { EventSource, PartitionProcessor } from './types.ts';

/** Reads the embedded durable log (one partition per topic), polling for new records. */
export class EmbeddedSource implements EventSource {
  readonly #log: EmbeddedLog;
  readonly #engine: PartitionProcessor;
  readonly #topics: readonly string[];
  readonly #afterBatch: () => void;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(path: string, engine: PartitionProcessor, topics: readonly string[], afterBatch: () => void) {
    this.#log = EmbeddedLog.open(path);
    this.#engine = engine;
    this.#topics = topics;
    this.#afterBatch = afterBatch;
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
      if (read > 0) this.#afterBatch();
      else await sleep(100);
    }
  }

  async lag(): Promise<Map<string, number>> {
    return new Map(this.#topics.map((t) => [`${t}:0`, Math.max(0, this.#log.endOffset(t) - Number(this.#engine.nextOffset(`${t}:0`)))]));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    this.#log.close();
  }
}
