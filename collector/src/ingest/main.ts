/**
 * The collector process: `node collector/src/ingest/main.ts`. Configuration comes from the environment
 * (collector/src/ingest/config.ts and the README); a bad value stops start-up with a
 * message naming the variable.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { pino } from 'pino';
import { ConfigError, summariseConfig } from '@hangarstack/shared';
import { createApp } from './app.ts';
import { createClientResolver } from './client-address.ts';
import { loadCollectorConfig, type CollectorConfig } from './config.ts';
import { createCollectorMetrics } from './metrics.ts';
import { RateLimiter } from './rate-limit.ts';
import { applyDataUpdates, loadAircraftSlugs } from './slugs.ts';
import { DataUpdatesFollower } from '../transport/data-updates/follower.ts';
import { SaltStore } from './salt-store.ts';
import { EmbeddedSink } from '../transport/sinks/embedded-sink.ts';
import { KafkaSink } from '../transport/sinks/kafka-sink.ts';
import { createPlatformaticProducer } from '../transport/sinks/platformatic-producer.ts';
import { Spool } from '../transport/sinks/spool.ts';
import type { EventSink } from '../transport/sinks/types.ts';
import { SystemEvents, serviceVersion, systemEventWriter } from '../transport/system-events/emitter.ts';

let config: CollectorConfig;
try {
  config = loadCollectorConfig();
} catch (error) {
  // A configuration mistake is the operator's to fix: its message names the variable. Anything
  // else is a bug and keeps its stack.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

// Request logs are not written: the only per-request facts worth keeping are in /metrics, and
// a log line is where IP addresses and user agents usually leak.
const log = pino({ level: config.logLevel, base: { service: 'collector' } });
const metrics = createCollectorMetrics();
const systemEvents = new SystemEvents({
  service: 'collector',
  topic: config.topics.systemEvents,
  writer: systemEventWriter(config.kafka, config.embeddedLogPath),
  log,
});

let sink: EventSink;
if (config.kafka) {
  const connection = config.kafka;
  const kafkaSink = new KafkaSink(
    Array.from({ length: config.producer.count }, () => createPlatformaticProducer(connection, { compression: config.producer.compression })),
    new Spool(config.spool.dir, config.spool.maxBytes),
    metrics,
    log,
    { batching: config.batching, topics: [config.topics.views, config.topics.searches], systemEvents: systemEvents.emit },
  );
  // Listen once Kafka answered (or 5 s passed, then spool until it does): beacons accepted
  // before that all take the fsynced spool path and wait for the drainer.
  await Promise.race([kafkaSink.start(), sleep(5_000)]);
  sink = kafkaSink;
} else {
  sink = new EmbeddedSink(config.embeddedLogPath, config.batching);
  metrics.sinkUp.set(1);
}

const resolveClient = createClientResolver(config.client);
const salts = new SaltStore(config.saltDir);
try {
  salts.current(); // a bad salt file stops start-up here, not at the first beacon
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

// The slugs the image was built with, then kept current from hangarstack.data.updates: a newly
// published aircraft's views are accepted without a restart, a removed one's rejected.
const aircraft = new Set(loadAircraftSlugs(config.aircraftDataDir));
const dataUpdates = new DataUpdatesFollower({
  location: config.kafka
    ? { kind: 'kafka', connection: config.kafka, topic: config.topics.dataUpdates }
    : { kind: 'embedded', path: config.embeddedLogPath, topic: config.topics.dataUpdates },
  from: 'all',
  groupId: `${config.kafka?.clientId ?? 'hangarstack'}-slugs-${hostname()}-${process.pid}`,
  log: log.child({ component: 'data-updates' }),
  onUpdates: (updates) => {
    const { added, removed } = applyDataUpdates(aircraft, updates);
    if (added.length + removed.length > 0) log.info({ added, removed, known: aircraft.size }, 'known aircraft reloaded from data updates');
  },
});
dataUpdates.start().catch((error: unknown) => log.error({ err: (error as Error).message }, 'cannot follow data updates; known aircraft stay as loaded from AIRCRAFT_DATA_DIR'));

let draining = false;
const app = createApp({
  sink,
  metrics,
  log,
  salts,
  rateLimiter: new RateLimiter(config.rateLimit),
  aircraft,
  siteId: config.siteId,
  topics: config.topics,
  corsOrigins: config.corsOrigins,
  clientNetwork: (c) => resolveClient({ peer: getConnInfo(c).remote.address, header: (name) => c.req.header(name) }),
  draining: () => draining,
});

const server: ServerType = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  log.info(
    { address: `http://${info.address}:${info.port}`, sink: sink.kind, kafka: config.kafka?.brokers.join(',') ?? null },
    `collector listening on http://${info.address}:${info.port} (${sink.kind === 'kafka' ? 'Kafka' : `embedded log ${config.embeddedLogPath}`})`,
  );
  systemEvents.emit('started', { version: serviceVersion(), mode: sink.kind, config: summariseConfig({ ...config, port: info.port }) });
});

async function shutdown(signal: string): Promise<void> {
  if (draining) return;
  draining = true;
  log.info({ signal }, 'stopping: no new connections, finishing in-flight requests');
  systemEvents.emit('stopping', { reason: signal });
  await new Promise<void>((done) => server.close(() => done()));
  await sink.close();
  await dataUpdates.stop().catch(() => undefined);
  await systemEvents.close();
  log.info('stopped cleanly');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
