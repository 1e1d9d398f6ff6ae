import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { systemEventSchema, type SystemEvent } from '@hangarstack/shared';
import { EmbeddedLog } from '../embedded-log.ts';
import { toKafkaJsConfig, type KafkaConnection } from '../kafka-connection.ts';

export interface ReadOptions {
  /** Only events at or after this epoch ms. */
  since: number;
  /** Keep reading new events until `signal` aborts. */
  follow: boolean;
  signal?: AbortSignal;
}

/** A stored value that is not a system event (another producer's, or a newer schema) is reported, not fatal. */
export type ReadItem = { event: SystemEvent } | { invalid: string };

function parse(value: string | null | undefined): ReadItem {
  try {
    const parsed = systemEventSchema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? { event: parsed.data as SystemEvent } : { invalid: parsed.error.issues[0]?.message ?? 'invalid' };
  } catch {
    return { invalid: 'not JSON' };
  }
}

/** System events from the embedded log, oldest first. */
export async function* readEmbedded(path: string, topic: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const log = EmbeddedLog.open(path);
  try {
    let next = 0;
    for (;;) {
      const batch = log.read(topic, next, 1_000);
      for (const record of batch) {
        next = record.offset + 1;
        const item = parse(record.value);
        if ('invalid' in item || item.event.at >= options.since) yield item;
      }
      if (batch.length > 0) continue;
      if (!options.follow || options.signal?.aborted) return;
      await sleep(250, undefined, { signal: options.signal }).catch(() => undefined);
      if (options.signal?.aborted) return;
    }
  } finally {
    log.close();
  }
}

/**
 * System events from Kafka: seeks each partition to the first offset at `since` (by timestamp,
 * so a month of events is not read to print an hour), reads to the end offsets of the moment it
 * started, and with `follow` keeps going. A throwaway group id: nothing is committed.
 */
export async function* readKafka(connection: KafkaConnection, topic: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  const kafka = new Kafka({ ...toKafkaJsConfig(connection), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let ends: Map<number, bigint>;
  try {
    starts = await admin.fetchTopicOffsetsByTimestamp(topic, options.since);
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Map([...ends].filter(([partition, high]) => BigInt(starts.find((s) => s.partition === partition)?.offset ?? high) < high));
  if (!options.follow && pending.size === 0) return;

  const queue: ReadItem[] = [];
  let wake: (() => void) | undefined;
  const consumer = kafka.consumer({ groupId: `hangar-events-${process.pid}-${Date.now()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const item = parse(message.value?.toString());
        if ('invalid' in item || item.event.at >= options.since) queue.push(item);
        const high = pending.get(partition);
        if (high !== undefined && BigInt(message.offset) + 1n >= high) pending.delete(partition);
        wake?.();
      },
    });
    for (const start of starts) consumer.seek({ topic, partition: start.partition, offset: start.offset });
    for (;;) {
      while (queue.length > 0) yield queue.shift() as ReadItem;
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
