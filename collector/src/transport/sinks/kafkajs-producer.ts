import { CompressionTypes, Kafka, logLevel, type LogEntry, type Message } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaJsConfig, type KafkaConnection } from '../kafka-connection.ts';
import type { KafkaCompression, PartitionedRecord, ProducerPort } from './types.ts';

const CODECS: Partial<Record<KafkaCompression, CompressionTypes>> = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP };

/**
 * The kafkajs implementation of the producer port: idempotent producer, acks=all, one request
 * in flight. kafkajs has lz4 and zstd only through extra codec packages, so only none and gzip.
 */
export function createKafkajsProducer(connection: KafkaConnection, options: { compression: KafkaCompression }, log: Logger): ProducerPort {
  const compression = CODECS[options.compression];
  if (compression === undefined) throw new Error(`kafkajs cannot compress with ${options.compression} without a codec package: use none or gzip`);
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
  const admin = kafka.admin();
  return {
    connect: async () => {
      await producer.connect();
      await admin.connect();
    },
    partitionCount: async (topic) => {
      if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata.topics[0]?.partitions.length ?? 0;
    },
    async send(records: readonly PartitionedRecord[]) {
      const byTopic = new Map<string, Message[]>();
      for (const r of records) {
        const messages = byTopic.get(r.topic) ?? [];
        messages.push({ key: r.key, value: r.value, partition: r.partition });
        byTopic.set(r.topic, messages);
      }
      await producer.sendBatch({ acks: -1, compression, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    },
    disconnect: async () => {
      await admin.disconnect();
      await producer.disconnect();
    },
  };
}
