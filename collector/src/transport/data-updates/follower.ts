import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataUpdate } from '@hangarstack/shared';
import { EmbeddedLog } from '../embedded-log.ts';
import { toKafkaJsConfig } from '../kafka-connection.ts';
import { parseDataUpdate, type DataUpdatesLocation } from './store.ts';

export interface FollowerOptions {
  location: DataUpdatesLocation;
  /**
   * `all`: every update from the beginning, then new ones (the collector rebuilds its slug set
   * from the compacted topic, each instance on its own). `new`: only updates after this follower
   * first started, resuming where it stopped (the rebuild trigger: old changes are built already).
   */
  from: 'all' | 'new';
  /** Kafka: the consumer group (`new` needs a stable one to resume). */
  groupId: string;
  /** Embedded `new`: where the next offset is kept between runs. */
  offsetFile?: string;
  onUpdates: (updates: DataUpdate[]) => void;
  log: Logger;
}

/**
 * Follows `hangarstack.data.updates` in the background and hands each batch of valid updates to
 * `onUpdates`; invalid records are skipped with a warning. Kafka: a kafkajs consumer (it
 * reconnects by itself). Embedded: polls the log every 250 ms.
 */
export class DataUpdatesFollower {
  readonly #o: FollowerOptions;
  #consumer: Consumer | undefined;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(options: FollowerOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    this.#running = true;
    const { location } = this.#o;
    if (location.kind === 'embedded') {
      this.#loop = this.#poll(location.path, location.topic);
      return;
    }
    const kafka = new Kafka({
      ...toKafkaJsConfig(location.connection),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.#o.log.warn({ kafkajs: entry.namespace }, entry.log.message),
    });
    this.#consumer = kafka.consumer({ groupId: this.#o.groupId, allowAutoTopicCreation: true });
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: location.topic, fromBeginning: this.#o.from === 'all' });
    await this.#consumer.run({
      // `all` re-reads the compacted topic on every start: committing would only leave stale groups behind.
      autoCommit: this.#o.from === 'new',
      eachBatch: async ({ batch }) => this.#deliver(batch.messages.map((m) => m.value?.toString() ?? null)),
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#consumer?.disconnect();
  }

  #deliver(values: readonly (string | null)[]): void {
    const updates: DataUpdate[] = [];
    for (const value of values) {
      const update = parseDataUpdate(value);
      if (update) updates.push(update);
      else this.#o.log.warn('skipped a record on the data updates topic that is not a data update');
    }
    if (updates.length > 0) this.#o.onUpdates(updates);
  }

  async #poll(path: string, topic: string): Promise<void> {
    const log = EmbeddedLog.open(path);
    const { offsetFile } = this.#o;
    let next = 0;
    if (this.#o.from === 'new') next = offsetFile && existsSync(offsetFile) ? Number(readFileSync(offsetFile, 'utf8')) : log.endOffset(topic);
    try {
      while (this.#running) {
        const batch = log.read(topic, next, 1_000);
        if (batch.length === 0) {
          await sleep(250);
          continue;
        }
        next = (batch.at(-1)?.offset ?? next) + 1;
        this.#deliver(batch.map((r) => r.value));
        if (this.#o.from === 'new' && offsetFile) {
          mkdirSync(dirname(offsetFile), { recursive: true });
          writeFileSync(offsetFile, String(next));
        }
      }
    } finally {
      log.close();
    }
  }
}
