import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin, type Consumer, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaJsConfig, type KafkaConnection } from '../../transport/kafka-connection.ts';
import type { KafkaHealth } from '../../transport/kafka-health.ts';
import type { ChangelogWriter } from '../engine.ts';
import { parseRowKey, rowKey, type StateRow } from './rows.ts';

/** The name under which the local store keeps how far it has read the changelog. */
export const CHANGELOG_POSITION = 'changelog';

/** A batch's rows can be large (a dense sketch is 16 KiB); the broker's 1 MiB default is raised. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * The state changelog on Kafka (deploy/kafka/topics.json), as Kafka Streams backs its state stores: a compacted topic keyed
 * by partition, aggregate kind, bucket and item (rows.ts), so the latest value of every row
 * survives and a deleted one is a tombstone. One topic partition keeps every write in one order,
 * and a batch's rows go in one produce request (one record batch, appended whole), offset row last.
 *
 * Every member reads the whole topic: a member that is assigned a partition restores its state
 * from here (its local store is only a cache), and every member sees every partition's partial
 * aggregates, so whichever publishes merges them all.
 */
export class KafkaChangelog implements ChangelogWriter {
  readonly #topic: string;
  readonly #admin: Admin;
  readonly #producer: Producer;
  readonly #consumer: Consumer;
  /** Next changelog offset to read. */
  #position = 0n;

  readonly #health: KafkaHealth | undefined;

  /** `health` hears of every write's outcome (a broker gone away fails the next commit's write). */
  constructor(connection: KafkaConnection, topic: string, log: Logger, health?: KafkaHealth) {
    this.#health = health;
    const kafka = new Kafka({
      ...toKafkaJsConfig(connection),
      clientId: `${connection.clientId}-state`,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        log.warn({ kafkajs: entry.namespace, ...rest }, message);
      },
    });
    this.#topic = topic;
    this.#admin = kafka.admin();
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    // A group of its own per process: every member reads every record; nothing is committed.
    // Fetch sizes bound the reader's buffers (the largest record batch still fits one fetch).
    // Waits at most 500 ms for new rows, as the source does (kafka-source.ts).
    this.#consumer = kafka.consumer({ groupId: `hangarstack-state-reader-${randomUUID()}`, maxBytesPerPartition: MAX_MESSAGE_BYTES, maxBytes: MAX_MESSAGE_BYTES, maxWaitTimeInMs: 500 });
  }

  /**
   * Creates the topic when missing and starts reading it from `from` (the cached position), handing
   * each fetched batch's rows and the position they reach to `onRows`.
   */
  async start(from: string | undefined, onRows: (rows: StateRow[], position: Record<string, string>) => void): Promise<void> {
    await this.#admin.connect();
    if (!(await this.#admin.listTopics()).includes(this.#topic)) {
      await this.#admin
        .createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: this.#topic,
              numPartitions: 1,
              configEntries: [
                { name: 'cleanup.policy', value: 'compact' },
                { name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) },
                // Roll segments hourly so superseded rows are compacted away within hours.
                { name: 'segment.ms', value: '3600000' },
                { name: 'min.cleanable.dirty.ratio', value: '0.1' },
              ],
            },
          ],
        })
        .catch((error: unknown) => {
          // Another member created it first.
          if (!/already exists/i.test((error as Error).message)) throw error;
        });
    }
    await this.#producer.connect();
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.#topic, fromBeginning: true });
    this.#position = from === undefined ? 0n : BigInt(from);
    await this.#consumer.run({
      eachBatch: async ({ batch }) => {
        // Written to partition 0 only (one write order), whatever a cluster created.
        if (batch.partition !== 0) return;
        const rows: StateRow[] = [];
        for (const m of batch.messages) {
          const key = m.key ? parseRowKey(m.key.toString('utf8')) : null;
          // A view of the fetched bytes, not a copy: loading a row decodes it and the store copies it,
          // and most rows (a member's own, read back) are dropped unread.
          if (key) rows.push({ ...key, value: m.value ? new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength) : null });
        }
        const last = batch.messages.at(-1);
        if (!last) return;
        this.#position = BigInt(last.offset) + 1n;
        onRows(rows, { [CHANGELOG_POSITION]: this.#position.toString() });
      },
    });
    if (from !== undefined) this.#consumer.seek({ topic: this.#topic, partition: 0, offset: from });
  }

  /** Resolves once everything written to the changelog before this call has been read. */
  async caughtUp(timeoutMs = 120_000): Promise<void> {
    const end = (await this.#admin.fetchTopicOffsets(this.#topic)).find((o) => o.partition === 0);
    const high = BigInt(end?.high ?? '0');
    const deadline = Date.now() + timeoutMs;
    while (this.#position < high) {
      if (Date.now() > deadline) throw new Error(`the state changelog ${this.#topic} was not read up to ${high} within ${timeoutMs} ms (at ${this.#position})`);
      await sleep(20);
    }
  }

  async send(rows: readonly StateRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.#producer.send({
        topic: this.#topic,
        acks: -1,
        messages: rows.map((r) => ({ partition: 0, key: rowKey(r), value: r.value ? Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) : null })),
      });
    } catch (error) {
      this.#health?.lost(error);
      throw error;
    }
    this.#health?.ok();
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await this.#producer.disconnect();
    await this.#admin.disconnect();
  }
}
