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
import { z } from 'zod';
import { parseEnv } from '@hangarstack/shared';
import { commandLine } from '@hangarstack/shared/command-line';
import { startKafka, type KafkaBroker } from '@hangarstack/deploy/kafka';
import { runStep, startService, type RunningService } from '@hangarstack/testing/supervisor';
import { collectorEntry, consumerEntry, consumerNodeArgs } from '@hangarstack/collector/entries';
import { stackEnv } from './stack-env.ts';
import { applyTopics, loadTopicManifest } from '@hangarstack/collector/topics';
import { watchAndPublish, type DataWatcher } from './data/watch.ts';

const { values: flags } = commandLine('usage: ./hangar start [--kafka] [--rebuild]', {
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

let broker: KafkaBroker | undefined;
let dataWatcher: DataWatcher | undefined;
const services: RunningService[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    dataWatcher?.close();
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
    await applyTopics({ brokers: [broker.brokers], clientId: 'hangarstack-start', ssl: false }, loadTopicManifest(), { log: (line) => console.log(`kafka    │ topics: ${line}`) });
  }
  const wiring = stackEnv({
    stateDir: state,
    ports: { site: env.SITE_PORT, collector: env.COLLECTOR_PORT, consumer: env.CONSUMER_PORT },
    siteHost: 'localhost',
    kafkaBrokers,
  });
  const { siteUrl, collectorUrl, consumerUrl, popularityFile } = wiring;

  if (flags.rebuild || !existsSync('site/.live/current')) {
    console.log('▶ building the site (first start or --rebuild)…');
    await runStep('build', process.execPath, ['site/scripts/build-and-swap.ts'], wiring.build);
  }

  // data/ → hangarstack.data.updates, now and on every save: the collector accepts a new
  // aircraft's views at once and the consumer rebuilds the affected pages.
  dataWatcher = await watchAndPublish(wiring.build, 'data', (line) => console.log(`data     │ ${line}`));

  services.push(
    await startService({
      name: 'collector',
      command: process.execPath,
      args: [collectorEntry],
      env: wiring.collector,
      readyUrl: `${collectorUrl}/healthz`,
    }),
  );
  services.push(
    await startService({
      name: 'consumer',
      command: process.execPath,
      args: [...consumerNodeArgs, consumerEntry],
      env: wiring.consumer,
      readyUrl: `${consumerUrl}/healthz`,
    }),
  );
  services.push(
    await startService({
      name: 'site',
      command: process.execPath,
      args: ['site/scripts/serve.ts'],
      env: wiring.site,
      readyUrl: `${siteUrl}/`,
    }),
  );

  console.log(`
HangarStack is running (${kafkaBrokers ? `Kafka mode: ${kafkaBrokers}` : `embedded mode: ${wiring.collector.EMBEDDED_LOG_PATH}`}).
  site        ${siteUrl}/
  collector   ${collectorUrl}/v1/events   (metrics ${collectorUrl}/metrics)
  consumer    ${consumerUrl}/metrics
  popularity  ${popularityFile}
  data        data/ is watched: a saved record is published on hangarstack.data.updates (./hangar events shows the timeline)
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
