/**
 * The popularity consumer process, started as `node collector/src/consumer/main.ts` (main.mjs:
 * the compile cache is turned on before this module is imported). Parses the configuration
 * (collector/src/consumer/config.ts; a bad value stops start-up naming the variable), builds the
 * consumer (consumer.ts), serves its metrics and stops cleanly on SIGTERM/SIGINT.
 */
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { ConfigError, summariseConfig } from '@hangarstack/shared';
import { SystemEvents, serviceVersion, systemEventWriter } from '../transport/system-events/emitter.ts';
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
const systemEvents = new SystemEvents({ service: 'consumer', topic: config.topics.systemEvents, writer: systemEventWriter(config.kafka, config.embeddedLogPath), log });
const consumer = createConsumer(config, { log, systemEvents });
const server = serve({ fetch: consumer.app.fetch, hostname: config.host, port: config.metricsPort }, (info) =>
  log.info(
    `consumer metrics on http://${info.address}:${info.port}/metrics (${config.kafka ? 'Kafka' : `embedded log ${config.embeddedLogPath}`}) → ${config.popularityFile}`,
  ),
);
await consumer.start();
systemEvents.emit('started', { version: serviceVersion(), mode: config.kafka ? 'kafka' : 'embedded', config: summariseConfig(config) });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  systemEvents.emit('stopping', { reason: signal });
  await consumer.stop();
  await systemEvents.close();
  await new Promise<void>((done) => server.close(() => done()));
  log.info('stopped cleanly');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
