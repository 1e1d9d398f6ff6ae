import { join } from 'node:path';
import { consumerEnv } from '@hangarstack/collector/entries';

export interface StackPlan {
  /** One directory for the whole loop's state: the log, spool, salts, consumer state, popularity. */
  stateDir: string;
  ports: { site: number; collector: number; consumer: number };
  /** The host the site is browsed at (the canonical origin and the collector's allowed origin). */
  siteHost: 'localhost' | '127.0.0.1';
  /** Kafka brokers, or undefined for the embedded durable log. */
  kafkaBrokers?: string | undefined;
  /** Topics other than the defaults (tests give each run its own). */
  topics?: { views: string; searches: string; dataUpdates?: string; systemEvents?: string; activity?: string } | undefined;
  /** The records to build from and check slugs against (default: data/). */
  dataDir?: string | undefined;
  /** Where builds go (default: site/.live). */
  liveDir?: string | undefined;
  /** More collector variables (tests trust their loopback forwarding proxies). */
  collector?: Record<string, string> | undefined;
  /** More consumer variables (group, k-anonymity, faster rebuild timings for tests). */
  consumer?: Record<string, string> | undefined;
}

export interface StackEnv {
  siteUrl: string;
  collectorUrl: string;
  consumerUrl: string;
  popularityFile: string;
  /** The environment of each part of the loop. */
  build: Record<string, string | undefined>;
  collector: Record<string, string | undefined>;
  consumer: Record<string, string | undefined>;
  site: Record<string, string | undefined>;
}

/**
 * How the parts of the loop are wired to each other: the one definition `./hangar start` and the
 * end-to-end test both use, so the test runs the loop exactly as a developer does. Every variable
 * is one the services' own config parses (collector/README.md, site/README.md).
 */
export function stackEnv(plan: StackPlan): StackEnv {
  const siteUrl = `http://${plan.siteHost}:${plan.ports.site}`;
  const collectorUrl = `http://127.0.0.1:${plan.ports.collector}`;
  const consumerUrl = `http://127.0.0.1:${plan.ports.consumer}`;
  const popularityFile = join(plan.stateDir, 'popularity.json');
  const shared = {
    POPULARITY_FILE: popularityFile,
    PUBLIC_COLLECTOR_URL: collectorUrl,
    SITE_URL: siteUrl,
    // '' rather than unset: a service must not inherit a broker from the caller's environment.
    KAFKA_BROKERS: plan.kafkaBrokers ?? '',
    EMBEDDED_LOG_PATH: join(plan.stateDir, 'events.db'),
    ...(plan.topics ? { KAFKA_TOPIC_VIEWS: plan.topics.views, KAFKA_TOPIC_SEARCHES: plan.topics.searches } : {}),
    ...(plan.topics?.dataUpdates ? { KAFKA_TOPIC_DATA_UPDATES: plan.topics.dataUpdates } : {}),
    ...(plan.topics?.systemEvents ? { KAFKA_TOPIC_SYSTEM_EVENTS: plan.topics.systemEvents } : {}),
    ...(plan.topics?.activity ? { KAFKA_TOPIC_ACTIVITY: plan.topics.activity } : {}),
    ...(plan.dataDir ? { HANGAR_DATA_DIR: plan.dataDir } : {}),
    ...(plan.liveDir ? { HANGAR_LIVE_DIR: plan.liveDir } : {}),
  };
  return {
    siteUrl,
    collectorUrl,
    consumerUrl,
    popularityFile,
    build: shared,
    collector: {
      ...shared,
      PORT: String(plan.ports.collector),
      CORS_ORIGINS: `http://localhost:${plan.ports.site},http://127.0.0.1:${plan.ports.site}`,
      SPOOL_DIR: join(plan.stateDir, 'spool'),
      SALT_DIR: join(plan.stateDir, 'salts'),
      ...(plan.dataDir ? { AIRCRAFT_DATA_DIR: join(plan.dataDir, 'aircraft') } : {}),
      ...plan.collector,
    },
    consumer: {
      ...consumerEnv,
      ...shared,
      METRICS_PORT: String(plan.ports.consumer),
      CONSUMER_STATE_DIR: join(plan.stateDir, 'consumer'),
      // The popular facets group aircraft by the same records the collector and the build read.
      ...(plan.dataDir ? { AIRCRAFT_DATA_DIR: join(plan.dataDir, 'aircraft') } : {}),
      ...plan.consumer,
    },
    site: { ...shared, SITE_PORT: String(plan.ports.site) },
  };
}
