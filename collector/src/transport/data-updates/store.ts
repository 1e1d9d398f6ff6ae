import { dataUpdateKey, dataUpdateSchema, type DataUpdate } from '@hangarstack/shared';
import { EmbeddedLog } from '../embedded-log.ts';
import type { KafkaConnection } from '../kafka-connection.ts';
import { readKafkaTopic } from '../topic-reader.ts';

/** Where data updates live: the compacted Kafka topic, or the embedded log's topic of that name. */
export type DataUpdatesLocation = { kind: 'kafka'; connection: KafkaConnection; topic: string } | { kind: 'embedded'; path: string; topic: string };

/** A value that is not a data update (another producer's, a future schema) is skipped, not fatal. */
export function parseDataUpdate(value: string | null): DataUpdate | undefined {
  try {
    const parsed = dataUpdateSchema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The latest published update per `<kind>:<slug>`: the state the next publish diffs against. */
export async function readPublished(location: DataUpdatesLocation): Promise<Map<string, DataUpdate>> {
  const latest = new Map<string, DataUpdate>();
  const take = (value: string | null): void => {
    const update = parseDataUpdate(value);
    if (update) latest.set(dataUpdateKey(update.kind, update.slug), update);
  };
  if (location.kind === 'embedded') {
    const log = EmbeddedLog.open(location.path);
    try {
      for (let next = 0; ; ) {
        const batch = log.read(location.topic, next, 5_000);
        if (batch.length === 0) break;
        for (const record of batch) take(record.value);
        next = (batch.at(-1)?.offset ?? next) + 1;
      }
    } finally {
      log.close();
    }
    return latest;
  }
  try {
    for await (const record of readKafkaTopic(location.connection, location.topic)) take(record.value);
  } catch (error) {
    // A topic that does not exist yet has published nothing: the first publish adds everything.
    if (!/does not host this topic-partition|UNKNOWN_TOPIC/i.test((error as Error).message)) throw error;
  }
  return latest;
}
