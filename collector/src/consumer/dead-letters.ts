import { Kafka, logLevel, type Producer } from 'kafkajs';
import { toKafkaJsConfig, type KafkaConnection } from '../transport/kafka-connection.ts';
import type { EmbeddedLog } from '../transport/embedded-log.ts';
import type { SourceRecord } from '../transport/sources/types.ts';
import type { DeadLetterSink } from './engine.ts';

/**
 * Kafka mode: each record of a batch that failed every attempt goes to the dead-letter topic with
 * its value unchanged and headers saying where it came from and why, for an operator to inspect
 * and replay (deploy/RUNBOOK.md).
 */
export class KafkaDeadLetters implements DeadLetterSink {
  readonly #topic: string;
  readonly #producer: Producer;
  #connected: Promise<void> | undefined;

  readonly #kafka: Kafka;

  constructor(connection: KafkaConnection, topic: string) {
    this.#topic = topic;
    this.#kafka = new Kafka({ ...toKafkaJsConfig(connection), clientId: `${connection.clientId}-dead-letters`, logLevel: logLevel.WARN });
    this.#producer = this.#kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  /** Connects and creates the topic when missing, on first use (most runs never need it). */
  async #connect(): Promise<void> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(this.#topic)) {
        await admin.createTopics({ topics: [{ topic: this.#topic, numPartitions: 1 }], waitForLeaders: true }).catch((error: unknown) => {
          if (!/already exists/i.test((error as Error).message)) throw error;
        });
      }
    } finally {
      await admin.disconnect();
    }
    await this.#producer.connect();
  }

  async send(source: { key: string; topic: string }, records: readonly SourceRecord[], reason: string): Promise<void> {
    this.#connected ??= this.#connect();
    await this.#connected.catch((error: unknown) => {
      this.#connected = undefined;
      throw error;
    });
    const partition = source.key.slice(source.key.lastIndexOf(':') + 1);
    await this.#producer.send({
      topic: this.#topic,
      acks: -1,
      messages: records.map((r) => ({
        key: source.key,
        value: r.value,
        headers: { reason, 'source-topic': source.topic, 'source-partition': partition, 'source-offset': r.offset },
      })),
    });
  }

  async stop(): Promise<void> {
    if (this.#connected) await this.#producer.disconnect();
  }
}

/** Embedded mode: the same, as records of a dead-letter topic in the embedded log. */
export class EmbeddedDeadLetters implements DeadLetterSink {
  readonly #log: EmbeddedLog;
  readonly #topic: string;

  constructor(log: EmbeddedLog, topic: string) {
    this.#log = log;
    this.#topic = topic;
  }

  async send(source: { key: string; topic: string }, records: readonly SourceRecord[], reason: string): Promise<void> {
    this.#log.append(records.map((r) => ({ topic: this.#topic, key: source.key, value: JSON.stringify({ receivedAt: Date.now(), reason, source: source.key, offset: r.offset, value: r.value }) })));
  }
}
