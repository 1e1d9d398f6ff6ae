/**
 * The popularity consumer process: `node collector/src/consumer/main.ts`. Parses the configuration
 * (collector/src/consumer/config.ts; a bad value stops start-up naming the variable), builds the
 * consumer (consumer.ts), serves its metrics and stops cleanly on SIGTERM/SIGINT.
 */
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { ConfigError } from '@hangarstack/shared';
import { loadConsumerConfig, type ConsumerConfig } from './config.ts';
import { createConsumer } from './consumer.ts';

let config: ConsumerConfig;
try {
  config = loadConsumerConfig();
} catch (error) {
  // A configuration mistake is the operator's to fix: its message names the variable. Anything
  // else is a bug and keeps its stack.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const log = pino({ level: config.logLevel, base: { service: 'consumer' } });
const consumer = createConsumer(config, { log });
const server = serve({ fetch: consumer.app.fetch, hostname: config.host, port: config.metricsPort }, (info) =>
  log.info(
    `consumer metrics on http://${info.address}:${info.port}/metrics (${config.kafka ? 'Kafka' : `embedded log ${config.embeddedLogPath}`}) → ${config.popularityFile}`,
  ),
);
await consumer.start();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await consumer.stop();
  await new Promise<void>((done) => server.close(() => done()));
  log.info('stopped cleanly');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
