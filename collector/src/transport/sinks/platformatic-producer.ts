import { Producer, stringSerializers, type ProducerOptions } from '@platformatic/kafka';
import type { KafkaConnection } from '../kafka-connection.ts';
import type { KafkaCompression, PartitionedRecord, ProducerPort } from './types.ts';

/**
 * The @platformatic/kafka implementation of the producer port: idempotent (exactly-once per
 * partition on retries, which also means one request in flight per producer), acks=all, each
 * record to the partition the sink chose. Retries are short: the sink spools rather than wait on
 * a dead cluster (the library's idempotent default is to retry forever). Failures surface as
 * rejected sends, which the sink logs and reports (it knows whether events were spooled).
 */
export function createPlatformaticProducer(connection: KafkaConnection, options: { compression: KafkaCompression }): ProducerPort {
  const producer = new Producer<string, string, string, string>({
    ...toPlatformaticOptions(connection),
    idempotent: true,
    acks: -1,
    compression: options.compression,
    autocreateTopics: true,
    connectTimeout: 3_000,
    requestTimeout: 10_000,
    timeout: 10_000,
    retries: 3,
    retryDelay: 100,
    serializers: stringSerializers,
  });
  return {
    // The first send would set up the idempotent producer id; doing it here makes "connected"
    // mean "Kafka answered", which is what the sink reports as up.
    connect: async () => {
      await producer.initIdempotentProducer({});
    },
    partitionCount: async (topic) => {
      const metadata = await producer.metadata({ topics: [topic], autocreateTopics: true });
      const count = metadata.topics.get(topic)?.partitionsCount;
      if (!count) throw new Error(`Kafka returned no partitions for topic ${topic}`);
      return count;
    },
    async send(records: readonly PartitionedRecord[]) {
      await producer.send({ messages: records.map((r) => ({ topic: r.topic, partition: r.partition, key: r.key, value: r.value })) });
    },
    disconnect: () => producer.close(),
  };
}

/** The client options for a connection (TLS verification is never turned off). */
export function toPlatformaticOptions(connection: KafkaConnection): Pick<ProducerOptions<string, string, string, string>, 'clientId' | 'bootstrapBrokers' | 'tls' | 'sasl'> {
  const options: Pick<ProducerOptions<string, string, string, string>, 'clientId' | 'bootstrapBrokers' | 'tls' | 'sasl'> = {
    clientId: connection.clientId,
    bootstrapBrokers: connection.brokers,
  };
  if (connection.ssl !== false) options.tls = { rejectUnauthorized: true, ...connection.ssl };
  if (connection.sasl) {
    const mechanism = ({ plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const)[connection.sasl.mechanism];
    options.sasl = { mechanism, username: connection.sasl.username, password: connection.sasl.password };
  }
  return options;
}
