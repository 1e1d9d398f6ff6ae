/**
 * `./hangar events [--since 1h] [--follow] [--json]`: prints `hangarstack.system.events` readably,
 * from Kafka when KAFKA_BROKERS is set (KAFKA_SSL/KAFKA_SASL_* as for the services), else from the
 * embedded log EMBEDDED_LOG_PATH (.data/events.db). The RUNBOOK's incident steps start here.
 */
import { ConfigError, formatSystemEvent, parseEnv } from '@hangarstack/shared';
import { parseCommandLine, usageExit } from '@hangarstack/shared/command-line';
import { kafkaConnectionFromEnv } from '../kafka-connection.ts';
import { serviceEnvShape } from '../service-env.ts';
import { readEmbedded, readKafka, type ReadItem } from './read.ts';

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90m`, `1h`, `7d`, or an ISO time, to epoch ms. */
export function parseSince(value: string, now = Date.now()): number {
  const match = DURATION.exec(value);
  if (match) return now - Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new ConfigError(`--since ${JSON.stringify(value)}: give a duration like 30m, 1h, 7d or an ISO time like 2026-11-30T09:00Z`);
  return at;
}

const USAGE = 'usage: ./hangar events [--since 1h | --since 2026-11-30T09:00Z] [--follow] [--json]';

const parseEventsArgs = (argv: readonly string[]) =>
  parseCommandLine(USAGE, {
    args: [...argv],
    options: {
      since: { type: 'string', default: '1h' },
      follow: { type: 'boolean', short: 'f', default: false },
      json: { type: 'boolean', default: false },
    },
  });

export async function runEventsCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = console.log): Promise<number> {
  let values;
  try {
    ({ values } = parseEventsArgs(argv));
  } catch (error) {
    return usageExit(error);
  }
  let since: number;
  let config;
  try {
    since = parseSince(values.since);
    config = parseEnv(serviceEnvShape, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const kafka = kafkaConnectionFromEnv(config);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const options = { since, follow: values.follow, signal: controller.signal };
  const source = kafka ? `Kafka ${kafka.brokers.join(',')}` : `the embedded log ${config.EMBEDDED_LOG_PATH}`;
  console.error(`system events since ${new Date(since).toISOString()} from ${source} (${config.KAFKA_TOPIC_SYSTEM_EVENTS})${values.follow ? ', following (Ctrl-C stops)' : ''}`);
  const items: AsyncIterable<ReadItem> = kafka ? readKafka(kafka, config.KAFKA_TOPIC_SYSTEM_EVENTS, options) : readEmbedded(config.EMBEDDED_LOG_PATH, config.KAFKA_TOPIC_SYSTEM_EVENTS, options);
  let count = 0;
  try {
    for await (const item of items) {
      if ('invalid' in item) out(`(a record that is not a system event: ${item.invalid})`);
      else out(values.json ? JSON.stringify(item.event) : formatSystemEvent(item.event));
      count += 1;
    }
  } catch (error) {
    console.error(`cannot read system events from ${source}: ${(error as Error).message}. Is the cluster reachable and the topic created (./hangar kafka topics apply)?`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (count === 0) console.error('no system events in that window');
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runEventsCommand(process.argv.slice(2));
}
