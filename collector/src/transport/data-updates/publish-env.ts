import { parseEnv, type DataUpdate } from '@hangarstack/shared';
import { z } from 'zod';
import { kafkaConnectionFromEnv } from '../kafka-connection.ts';
import { serviceEnvShape } from '../service-env.ts';
import { reportSystemEvent } from '../system-events/report.ts';
import { publishDataUpdates } from './publish.ts';
import type { DataUpdatesLocation } from './store.ts';

const publishEnvShape = { ...serviceEnvShape, HANGAR_DATA_DIR: z.string().min(1).default('data') };

/**
 * A publish configured like the services (KAFKA_* or EMBEDDED_LOG_PATH, KAFKA_TOPIC_DATA_UPDATES,
 * HANGAR_DATA_DIR), reported on hangarstack.system.events as `data.published` when it changed
 * anything. Used by `./hangar data publish`, the `./hangar start` watcher and CI.
 */
export async function publishFromEnv(env: Record<string, string | undefined>, options: { dryRun?: boolean } = {}): Promise<{ updates: DataUpdate[]; where: string }> {
  const e = parseEnv(publishEnvShape, env);
  const kafka = kafkaConnectionFromEnv(e);
  const location: DataUpdatesLocation = kafka ? { kind: 'kafka', connection: kafka, topic: e.KAFKA_TOPIC_DATA_UPDATES } : { kind: 'embedded', path: e.EMBEDDED_LOG_PATH, topic: e.KAFKA_TOPIC_DATA_UPDATES };
  const updates = await publishDataUpdates({ location, dataDir: e.HANGAR_DATA_DIR, dryRun: options.dryRun ?? false });
  if (!options.dryRun && updates.length > 0) {
    await reportSystemEvent('data-publisher', 'data.published', {
      changes: updates.length,
      aircraft: updates.filter((u) => u.kind === 'aircraft').length,
      manufacturers: updates.filter((u) => u.kind === 'manufacturer').length,
    }, env);
  }
  return { updates, where: kafka ? `Kafka ${kafka.brokers.join(',')} (${location.topic})` : `the embedded log ${e.EMBEDDED_LOG_PATH} (${location.topic})` };
}
