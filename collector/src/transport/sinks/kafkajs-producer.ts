import { CompressionTypes, Kafka, logLevel, type LogEntry, type Message } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaJsConfig, type KafkaConnection } from '../kafka-connection.ts';
import type { LogRecord, ProducerPort } from './types.ts';

/**
 * The kafkajs implementation of the producer port: idempotent producer (exactly-once per
 * partition on retries), acks=all, gzip compression, one request in flight (what the idempotent
 * producer needs to keep order). Retries are short: the sink spools rather than wait on a dead
 * cluster.
 */
export function createKafkajsProducer(connection: KafkaConnection, log: Logger): ProducerPort {
  const kafka = new Kafka({
    ...toKafkaJsConfig(connection),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      log.warn({ kafkajs: entry.namespace, ...rest }, message);
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async send(records) {
      const byTopic = new Map<string, Message[]>();
      for (const r of records) {
        const messages = byTopic.get(r.topic) ?? [];
        messages.push({ key: r.key, value: r.value });
        byTopic.set(r.topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.GZIP,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
  };
}

export type { LogRecord };
