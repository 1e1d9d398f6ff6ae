/**
 * `./hangar start` (`pnpm start`): the whole HangarStack loop on one machine.
 *
 *   site server (built site, CDN-like headers) ← rebuild ← consumer ← log ← collector ← beacons
 *
 * Embedded mode (default, only Node needed): the collector appends to the SQLite durable log in
 * `.data/events.db` and the consumer reads it. Kafka mode: set KAFKA_BROKERS, or pass `--kafka`
 * to start the local Apache Kafka from deploy/kafka first (needs Java 17+ and Maven).
 * Ctrl-C stops everything cleanly.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseEnv } from '@hangarstack/shared';
import { startKafka, type KafkaBroker } from '@hangarstack/deploy/kafka';
import { runStep, startService, type RunningService } from '@hangarstack/testing/supervisor';
import { collectorEntry, consumerEntry } from '@hangarstack/collector/entries';

const { values: flags } = parseArgs({
  options: {
    kafka: { type: 'boolean', default: false },
    rebuild: { type: 'boolean', default: false },
  },
});

const port = z.coerce.number().int().min(1).max(65_535);
const env = parseEnv({
  KAFKA_BROKERS: z.string().optional(),
  SITE_PORT: port.default(4321),
  COLLECTOR_PORT: port.default(8787),
  CONSUMER_PORT: port.default(8788),
  HANGAR_STATE_DIR: z.string().default('.data'),
});

const state = resolve(env.HANGAR_STATE_DIR);
mkdirSync(state, { recursive: true });
const popularityFile = resolve(state, 'popularity.json');
const siteUrl = `http://localhost:${env.SITE_PORT}`;
const collectorUrl = `http://127.0.0.1:${env.COLLECTOR_PORT}`;

let broker: KafkaBroker | undefined;
const services: RunningService[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    // Generous grace: the consumer finishes a rebuild it started rather than orphan it.
    for (const service of [...services].reverse()) await service.stop(120_000);
    await broker?.stop();
    console.log('stopped.');
  }
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

try {
  let kafkaBrokers = env.KAFKA_BROKERS;
  if (flags.kafka && !kafkaBrokers) {
    console.log('▶ starting the local Apache Kafka (deploy/kafka; the first run downloads its jars)…');
    broker = await startKafka({ dataDir: resolve(state, 'kafka'), log: (line) => console.log(`kafka    │ ${line}`) });
    kafkaBrokers = broker.brokers;
  }
  const shared = {
    POPULARITY_FILE: popularityFile,
    PUBLIC_COLLECTOR_URL: collectorUrl,
    SITE_URL: siteUrl,
    KAFKA_BROKERS: kafkaBrokers,
    EMBEDDED_LOG_PATH: resolve(state, 'events.db'),
  };

  if (flags.rebuild || !existsSync('site/.live/current')) {
    console.log('▶ building the site (first start or --rebuild)…');
    await runStep('build', process.execPath, ['site/scripts/build-and-swap.ts'], shared);
  }

  services.push(
    await startService({
      name: 'collector',
      command: process.execPath,
      args: [collectorEntry],
      env: {
        ...shared,
        PORT: String(env.COLLECTOR_PORT),
        CORS_ORIGINS: `${siteUrl},http://127.0.0.1:${env.SITE_PORT}`,
        SPOOL_DIR: resolve(state, 'spool'),
        SALT_DIR: resolve(state, 'salts'),
      },
      readyUrl: `${collectorUrl}/healthz`,
    }),
  );
  services.push(
    await startService({
      name: 'consumer',
      command: process.execPath,
      args: [consumerEntry],
      env: { ...shared, METRICS_PORT: String(env.CONSUMER_PORT), CONSUMER_STATE_DIR: resolve(state, 'consumer') },
      readyUrl: `http://127.0.0.1:${env.CONSUMER_PORT}/healthz`,
    }),
  );
  services.push(
    await startService({
      name: 'site',
      command: process.execPath,
      args: ['site/scripts/serve.ts'],
      env: { ...shared, SITE_PORT: String(env.SITE_PORT) },
      readyUrl: `${siteUrl}/`,
    }),
  );

  console.log(`
HangarStack is running (${kafkaBrokers ? `Kafka mode: ${kafkaBrokers}` : `embedded mode: ${shared.EMBEDDED_LOG_PATH}`}).
  site        ${siteUrl}/
  collector   ${collectorUrl}/v1/events   (metrics ${collectorUrl}/metrics)
  consumer    http://127.0.0.1:${env.CONSUMER_PORT}/metrics
  popularity  ${popularityFile}
Press Ctrl-C to stop.`);

  const first = await Promise.race(services.map((s) => s.exited.then((code) => ({ name: s.name, code }))));
  if (!stopping) {
    console.error(`${first.name} exited unexpectedly (code ${first.code}); stopping the rest.`);
    await shutdown(1);
  }
} catch (error) {
  console.error(`\n✗ ${(error as Error).message}`);
  await shutdown(1);
}
