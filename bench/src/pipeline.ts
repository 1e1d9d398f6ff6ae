/**
 * Where one drill keeps its state, and the collector and consumer environment for it. The
 * processes themselves are started by the same starters the integration tests use
 * (`@hangarstack/collector/testing/*`), under the one supervisor.
 */
import { join } from 'node:path';
import { withTempDir } from './temp-dir.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Unique topics, group and dir, so drills (and others' tests on the same broker) never mix. */
export interface PipelineEnv {
  brokers: string;
  dir: string;
  topics: { views: string; searches: string };
  group: string;
}

/** A fresh, isolated pipeline namespace for one drill, its state in `dir`. */
function pipelineEnv(brokers: string, name: string, dir: string): PipelineEnv {
  const run = `${name}-${Date.now().toString(36)}`;
  return {
    brokers,
    dir,
    topics: { views: `bench.${run}.views`, searches: `bench.${run}.searches` },
    group: `bench-${run}`,
  };
}

/**
 * Runs one drill in a fresh namespace (pipelineEnv) and removes its dir afterwards. The drill stops
 * the collector and consumer it started (each drill's own `finally`) before this removes their state.
 */
export function inPipeline<T>(brokers: string, name: string, drill: (p: PipelineEnv) => Promise<T>): Promise<T> {
  return withTempDir(`hangar-bench-${name}-`, (dir) => drill(pipelineEnv(brokers, name, dir)));
}

/** The collector against Kafka with a rate limit the load (all from one address) never reaches. */
export function collectorEnv(p: PipelineEnv): Record<string, string> {
  return {
    KAFKA_BROKERS: p.brokers,
    SPOOL_DIR: join(p.dir, 'spool'),
    SALT_DIR: join(p.dir, 'salts'),
    EMBEDDED_LOG_PATH: join(p.dir, 'events.db'),
    KAFKA_TOPIC_VIEWS: p.topics.views,
    KAFKA_TOPIC_SEARCHES: p.topics.searches,
    KAFKA_TOPIC_ACTIVITY: `${p.topics.views}.activity`,
    CORS_ORIGINS: 'http://bench.invalid',
    AIRCRAFT_DATA_DIR: join(ROOT, 'data', 'aircraft'),
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_BURST: '100000000',
  };
}

/** The popularity consumer (no rebuilds, every query published) writing `<dir>/popularity.json`. */
export function consumerEnv(p: PipelineEnv): Record<string, string> {
  return {
    KAFKA_BROKERS: p.brokers,
    POPULARITY_FILE: join(p.dir, 'popularity.json'),
    CONSUMER_STATE_DIR: join(p.dir, 'consumer'),
    CONSUMER_GROUP: p.group,
    KAFKA_TOPIC_VIEWS: p.topics.views,
    KAFKA_TOPIC_SEARCHES: p.topics.searches,
    KAFKA_TOPIC_ACTIVITY: `${p.topics.views}.activity`,
    EMBEDDED_LOG_PATH: join(p.dir, 'consumer-events.db'),
    PUBLISH_INTERVAL_MS: '200',
    K_ANONYMITY: '1',
    REBUILD: 'off',
  };
}
