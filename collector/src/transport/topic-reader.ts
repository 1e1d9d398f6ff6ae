import { Kafka, logLevel } from 'kafkajs';
import { toKafkaJsConfig, type KafkaConnection } from './kafka-connection.ts';

export interface TopicRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
}

export interface TopicReadOptions {
  /** Start at the first record at or after this epoch ms; undefined: from the beginning. */
  since?: number;
  /** Keep reading new records until `signal` aborts; otherwise stop at the end offsets of the moment reading began. */
  follow?: boolean;
  signal?: AbortSignal;
}

/**
 * Reads a topic's records as an operator tool or a state load does: every partition from a
 * timestamp (or the beginning) to its end, optionally following. A throwaway consumer group:
 * nothing is committed, so the services' groups are untouched.
 */
export async function* readKafkaTopic(connection: KafkaConnection, topic: string, options: TopicReadOptions = {}): AsyncGenerator<TopicRecord> {
  const kafka = new Kafka({ ...toKafkaJsConfig(connection), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
    starts = options.since === undefined ? offsets.map((p) => ({ partition: p.partition, offset: p.low })) : await admin.fetchTopicOffsetsByTimestamp(topic, options.since);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map([...ends].filter(([partition, high]) => BigInt(starts.find((s) => s.partition === partition)?.offset ?? high) < high));
  if (!options.follow && pending.size === 0) return;

  const queue: TopicRecord[] = [];
  let wake: (() => void) | undefined;
  const consumer = kafka.consumer({ groupId: `hangar-reader-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, allowAutoTopicCreation: false });
  await consumer.connect();
  // The first join can crash and be retried by kafkajs (on a fresh cluster the group coordinator is
  // still starting), and a seek before a join throws: seek once the group has been joined.
  const joined = new Promise<void>((done, fail) => {
    const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
      offJoin();
      offCrash();
      done();
    });
    const offCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      offJoin();
      offCrash();
      fail(payload.error);
    });
  });
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        queue.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
        const high = pending.get(partition);
        if (high !== undefined && BigInt(message.offset) + 1n >= high) pending.delete(partition);
        wake?.();
      },
    });
    await joined;
    for (const start of starts) consumer.seek({ topic, partition: start.partition, offset: start.offset });
    for (;;) {
      while (queue.length > 0) yield queue.shift() as TopicRecord;
      if ((!options.follow && pending.size === 0) || options.signal?.aborted) return;
      await new Promise<void>((done) => {
        wake = done;
        options.signal?.addEventListener('abort', () => done(), { once: true });
        setTimeout(done, 500).unref();
      });
      wake = undefined;
    }
  } finally {
    await consumer.disconnect();
  }
}
