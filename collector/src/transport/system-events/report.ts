import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { parseEnv, type SystemEventDetail, type SystemEventType, type SystemService } from '@hangarstack/shared';
import { kafkaConnectionFromEnv } from '../kafka-connection.ts';
import { serviceEnvShape } from '../service-env.ts';
import { SystemEvents, systemEventWriter } from './emitter.ts';

export interface ReportOptions {
  /** Write to the embedded log only when it already exists (a command run where no embedded stack ever ran must not create one). */
  onlyExistingLog?: boolean;
  /** How long to try before giving up (the command has done its work; the event must not hold it up). */
  timeoutMs?: number;
}

/**
 * One system event from a short-lived command (`./hangar data publish`, the site's rollback),
 * configured like the services: KAFKA_* when KAFKA_BROKERS is set, else the embedded log
 * EMBEDDED_LOG_PATH; KAFKA_TOPIC_SYSTEM_EVENTS names the topic. Resolves with where it was
 * written, or undefined when there was nowhere to write or the writer never succeeded in time.
 */
export async function reportSystemEvent<T extends SystemEventType>(
  service: SystemService,
  type: T,
  detail: SystemEventDetail<T>,
  env: Record<string, string | undefined>,
  options: ReportOptions = {},
): Promise<string | undefined> {
  const e = parseEnv(serviceEnvShape, env);
  const kafka = kafkaConnectionFromEnv(e);
  const logPath = resolve(e.EMBEDDED_LOG_PATH);
  if (!kafka && options.onlyExistingLog && !existsSync(logPath)) return undefined;
  const events = new SystemEvents({ service, topic: e.KAFKA_TOPIC_SYSTEM_EVENTS, writer: systemEventWriter(kafka, logPath), log: pino({ level: 'silent' }) });
  events.emit(type, detail);
  const unsent = await events.close(options.timeoutMs ?? 10_000);
  if (unsent > 0) return undefined;
  return kafka ? `Kafka ${kafka.brokers.join(',')} (${e.KAFKA_TOPIC_SYSTEM_EVENTS})` : `the embedded log ${logPath} (${e.KAFKA_TOPIC_SYSTEM_EVENTS})`;
}
