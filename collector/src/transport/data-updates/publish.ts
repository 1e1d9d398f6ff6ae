import { Kafka, logLevel } from 'kafkajs';
import { dataUpdateKey, type DataUpdate } from '@hangarstack/shared';
import { EmbeddedLog } from '../embedded-log.ts';
import { toKafkaJsConfig } from '../kafka-connection.ts';
import { readCatalogue } from './catalogue.ts';
import { diffCatalogue } from './diff.ts';
import { readPublished, type DataUpdatesLocation } from './store.ts';

export interface PublishOptions {
  location: DataUpdatesLocation;
  /** The data dir holding aircraft/ and manufacturers/. */
  dataDir: string;
  /** Compute and return the updates, write nothing. */
  dryRun?: boolean;
  now?: () => number;
}

/**
 * `./hangar data publish`: diffs `data/` against the last published digests (the topic itself)
 * and produces one event per added, changed or removed record. Running it again without a data
 * change produces nothing. Kafka: an idempotent producer with acks=all, keyed `<kind>:<slug>`.
 */
export async function publishDataUpdates(options: PublishOptions): Promise<DataUpdate[]> {
  const current = readCatalogue(options.dataDir);
  const published = await readPublished(options.location);
  const updates = diffCatalogue(current, published, (options.now ?? Date.now)());
  if (options.dryRun || updates.length === 0) return updates;
  const records = updates.map((u) => ({ topic: options.location.topic, key: dataUpdateKey(u.kind, u.slug), value: JSON.stringify(u) }));
  if (options.location.kind === 'embedded') {
    const log = EmbeddedLog.open(options.location.path);
    try {
      log.append(records);
    } finally {
      log.close();
    }
    return updates;
  }
  const producer = new Kafka({ ...toKafkaJsConfig(options.location.connection), logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({ topic: options.location.topic, acks: -1, messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value })) });
    }
  } finally {
    await producer.disconnect();
  }
  return updates;
}

/** One line per update, for the CLI and `./hangar start`. */
export function describeUpdate(update: DataUpdate): string {
  const fields = update.change === 'changed' ? ` (${update.fields.join(', ')})` : '';
  return `${update.change.padEnd(7)} ${update.kind} ${update.slug}${fields}`;
}
