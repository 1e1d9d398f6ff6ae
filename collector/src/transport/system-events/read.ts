import { setTimeout as sleep } from 'node:timers/promises';
import { systemEventSchema, type SystemEvent } from '@hangarstack/shared';
import { EmbeddedLog } from '../embedded-log.ts';
import type { KafkaConnection } from '../kafka-connection.ts';
import { readKafkaTopic } from '../topic-reader.ts';

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

/** System events from Kafka, from the first record at `since` (timestamp seek: a month of events is not read to print an hour). */
export async function* readKafka(connection: KafkaConnection, topic: string, options: ReadOptions): AsyncGenerator<ReadItem> {
  for await (const record of readKafkaTopic(connection, topic, options)) {
    const item = parse(record.value);
    if ('invalid' in item || item.event.at >= options.since) yield item;
  }
}
