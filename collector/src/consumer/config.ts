import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnv } from '@hangarstack/shared';
import { kafkaConnectionFromEnv, type KafkaConnection } from '../transport/kafka-connection.ts';
import { serviceEnvShape, type LogLevel, type ServiceTopics } from '../transport/service-env.ts';

const ms = z.coerce.number().int().min(0);
const DEFAULT_GROUP = 'hangarstack-popularity';
/** The site's rebuild command (site/scripts/build-and-swap.ts), the default hook. */
export const SITE_REBUILD_COMMAND = 'node site/scripts/build-and-swap.ts';
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A duration such as `90s`, `1h` or `14d` (a bare number is milliseconds), in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'must be a duration such as 30m, 1h or 14d')
  .transform((s) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(s) as RegExpExecArray;
    return Number(n) * UNIT_MS[(unit ?? 'ms') as keyof typeof UNIT_MS];
  });

export const consumerEnvShape = {
  ...serviceEnvShape,
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(8788),
  POPULARITY_FILE: z.string().min(1).default('.data/popularity.json'),
  SEARCH_REPORT_FILE: z.string().min(1).optional(),
  CONSUMER_STATE_DIR: z.string().min(1).default('.data/consumer'),
  CONSUMER_GROUP: z.string().min(1).max(200).default(DEFAULT_GROUP),
  K_ANONYMITY: z.coerce.number().int().min(1).max(1_000).default(5),
  /** The aircraft records (the site's data/aircraft): the popular manufacturers, roles and eras group aircraft by them. */
  AIRCRAFT_DATA_DIR: z.string().min(1).default('data/aircraft'),
  /** Event ids are de-duplicated over this much event time (retries arrive within minutes). */
  DEDUP_WINDOW: duration.default(3_600_000).refine((v) => v >= 3_600_000 && v <= 7 * 86_400_000, 'must be between 1h and 7d'),
  /** Distinct visitors per origin (network) per aircraft per day that count toward ranks and trending. */
  MAX_VISITORS_PER_ORIGIN: z.coerce.number().int().min(1).max(1_000).default(3),
  /**
   * Kafka mode: the compacted changelog of every partition's state (the local store is its cache).
   * One per consumer group: `hangarstack.popularity.state` for the default group, else `<group>.state`.
   */
  CONSUMER_STATE_TOPIC: z.string().regex(/^[\w.-]{1,249}$/, 'must be a Kafka topic name').optional(),
  /** Where the records of a batch that failed every attempt go, with the reason. */
  CONSUMER_DEAD_LETTER_TOPIC: z.string().min(1).max(249).default('hangarstack.consumer.dead-letter'),
  BATCH_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  BATCH_RETRY_BASE_MS: ms.default(200),
  /** Embedded mode: records the consumer has passed are deleted from the embedded log after this long. */
  EMBEDDED_LOG_RETENTION: duration.default(14 * 86_400_000),
  /** Publish at most this often while events stream in. */
  PUBLISH_INTERVAL_MS: ms.default(1_000),
  /**
   * Kafka mode: publish at most this often while the member's partitions are more than
   * `BEHIND_RECORDS` (consumer.ts) behind the end of the topic, catching up a backlog (a restart
   * after downtime, a new deployment): the numbers are behind anyway, and each publish merges
   * every partition on the thread that catches up. Caught up, publishing is back to
   * PUBLISH_INTERVAL_MS at once.
   */
  PUBLISH_INTERVAL_BEHIND_MS: ms.default(5_000),
  /**
   * A partition's batches within this long are stored in one write with the offset they reach
   * (Kafka Streams' commit.interval.ms); 0 stores every batch. A crash re-reads at most this much.
   */
  COMMIT_INTERVAL_MS: ms.max(60_000).default(1_000),
  /**
   * Kafka mode: a group member that sends no heartbeat for this long is dropped and its partitions
   * go to the others, so it is also how long a SIGKILLed member's partitions wait for a new owner.
   * The broker refuses values below its group.min.session.timeout.ms (6 s by default), the default
   * here. kafkajs heartbeats from its fetch loop every second: over the 1 M bench stream at load
   * ~15 on 2 cores the longest gap between heartbeats was 2.2 s (event loop blocked up to 1.7 s),
   * so 6 s leaves ~3x; a member that misses it anyway rejoins and loses nothing but time.
   */
  CONSUMER_SESSION_TIMEOUT_MS: ms.min(6_000, 'must be at least 6000 (the broker default group.min.session.timeout.ms)').max(300_000).default(6_000),
  REBUILD: z.enum(['on', 'off']).default('on'),
  REBUILD_COMMAND: z.string().min(1).default(SITE_REBUILD_COMMAND),
  REBUILD_HOOK_URL: z.url().optional(),
  REBUILD_HOOK_METHOD: z.enum(['POST', 'PUT', 'GET']).default('POST'),
  /** JSON object of extra headers, e.g. {"Accept":"application/vnd.github+json"}. */
  REBUILD_HOOK_HEADERS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of header names to string values' });
        return z.NEVER;
      }
    }),
  /** Sent as `Authorization: Bearer <token>` (GitHub needs it; deploy hooks carry their secret in the URL). */
  REBUILD_HOOK_TOKEN: z.string().min(1).optional(),
  /** Request body, e.g. {"event_type":"popularity-changed"} for GitHub repository_dispatch. */
  REBUILD_HOOK_BODY: z.string().optional(),
  REBUILD_HOOK_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  REBUILD_DEBOUNCE_MS: ms.default(10_000),
  REBUILD_MIN_INTERVAL_MS: ms.default(60_000),
  REBUILD_MAX_STALENESS_MS: ms.default(600_000),
  /** After a failed build the next waits about this long, doubling per failure in a row (jittered); 0: no backoff. */
  REBUILD_FAILURE_BACKOFF_MS: ms.default(30_000),
  /** …up to this (at least REBUILD_FAILURE_BACKOFF_MS). */
  REBUILD_FAILURE_BACKOFF_MAX_MS: ms.default(1_800_000),
};

/**
 * How a rebuild is started: a local command, or an HTTP build hook. `siteWorker`: the command is
 * the site's own build-and-swap, so a popularity-only rebuild may go to its render worker directly
 * (rebuild.ts commandHook).
 */
export type RebuildHookConfig =
  | { kind: 'command'; command: string; siteWorker: boolean }
  | { kind: 'http'; url: string; method: 'POST' | 'PUT' | 'GET'; headers: Record<string, string>; body: string | undefined; retries: number };

export interface RebuildConfig {
  hook: RebuildHookConfig;
  debounceMs: number;
  minIntervalMs: number;
  maxStalenessMs: number;
  failureBackoff: { baseMs: number; maxMs: number };
}

export interface ConsumerConfig {
  host: string;
  metricsPort: number;
  logLevel: LogLevel;
  /** null: no Kafka configured, the embedded durable log is the source. */
  kafka: KafkaConnection | null;
  embeddedLogPath: string;
  topics: ServiceTopics;
  group: string;
  popularityFile: string;
  /** The ops search report (zero-result queries), never published on the site. */
  searchReportFile: string;
  stateDir: string;
  kAnonymity: number;
  aircraftDataDir: string;
  dedupWindowMs: number;
  maxVisitorsPerOrigin: number;
  stateTopic: string;
  deadLetterTopic: string;
  /** A failing batch is tried `attempts` times, backing off from `baseMs`, then dead-lettered. */
  retry: { attempts: number; baseMs: number };
  embeddedLogRetentionMs: number;
  publishIntervalMs: number;
  publishIntervalBehindMs: number;
  commitIntervalMs: number;
  /** Kafka mode: the group session (CONSUMER_SESSION_TIMEOUT_MS). */
  sessionTimeoutMs: number;
  /** null: REBUILD=off. */
  rebuild: RebuildConfig | null;
}

/** Reads the consumer's configuration from the environment, once, at start-up. */
export function loadConsumerConfig(env: Record<string, string | undefined> = process.env): ConsumerConfig {
  const e = parseEnv(consumerEnvShape, env);
  if (e.REBUILD_FAILURE_BACKOFF_MAX_MS < e.REBUILD_FAILURE_BACKOFF_MS) {
    throw new ConfigError(
      `Invalid configuration; fix these environment variables:\n  REBUILD_FAILURE_BACKOFF_MAX_MS (${e.REBUILD_FAILURE_BACKOFF_MAX_MS}): must be at least REBUILD_FAILURE_BACKOFF_MS (${e.REBUILD_FAILURE_BACKOFF_MS})`,
    );
  }
  const hook: RebuildHookConfig = e.REBUILD_HOOK_URL
    ? {
        kind: 'http',
        url: e.REBUILD_HOOK_URL,
        method: e.REBUILD_HOOK_METHOD,
        headers: {
          'content-type': 'application/json',
          ...e.REBUILD_HOOK_HEADERS,
          ...(e.REBUILD_HOOK_TOKEN ? { authorization: `Bearer ${e.REBUILD_HOOK_TOKEN}` } : {}),
        },
        body: e.REBUILD_HOOK_BODY,
        retries: e.REBUILD_HOOK_RETRIES,
      }
    : { kind: 'command', command: e.REBUILD_COMMAND, siteWorker: e.REBUILD_COMMAND === SITE_REBUILD_COMMAND };
  return {
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    logLevel: e.LOG_LEVEL,
    kafka: kafkaConnectionFromEnv(e),
    embeddedLogPath: e.EMBEDDED_LOG_PATH,
    topics: { views: e.KAFKA_TOPIC_VIEWS, searches: e.KAFKA_TOPIC_SEARCHES, systemEvents: e.KAFKA_TOPIC_SYSTEM_EVENTS, dataUpdates: e.KAFKA_TOPIC_DATA_UPDATES, activity: e.KAFKA_TOPIC_ACTIVITY },
    group: e.CONSUMER_GROUP,
    popularityFile: e.POPULARITY_FILE,
    searchReportFile: e.SEARCH_REPORT_FILE ?? join(dirname(e.POPULARITY_FILE), 'search-report.json'),
    stateDir: e.CONSUMER_STATE_DIR,
    kAnonymity: e.K_ANONYMITY,
    aircraftDataDir: e.AIRCRAFT_DATA_DIR,
    dedupWindowMs: e.DEDUP_WINDOW,
    maxVisitorsPerOrigin: e.MAX_VISITORS_PER_ORIGIN,
    stateTopic: e.CONSUMER_STATE_TOPIC ?? (e.CONSUMER_GROUP === DEFAULT_GROUP ? 'hangarstack.popularity.state' : `${e.CONSUMER_GROUP.replace(/[^\w.-]/g, '_').slice(0, 243)}.state`),
    deadLetterTopic: e.CONSUMER_DEAD_LETTER_TOPIC,
    retry: { attempts: e.BATCH_ATTEMPTS, baseMs: e.BATCH_RETRY_BASE_MS },
    embeddedLogRetentionMs: e.EMBEDDED_LOG_RETENTION,
    publishIntervalMs: e.PUBLISH_INTERVAL_MS,
    publishIntervalBehindMs: e.PUBLISH_INTERVAL_BEHIND_MS,
    commitIntervalMs: e.COMMIT_INTERVAL_MS,
    sessionTimeoutMs: e.CONSUMER_SESSION_TIMEOUT_MS,
    rebuild:
      e.REBUILD === 'on'
        ? {
            hook,
            debounceMs: e.REBUILD_DEBOUNCE_MS,
            minIntervalMs: e.REBUILD_MIN_INTERVAL_MS,
            maxStalenessMs: e.REBUILD_MAX_STALENESS_MS,
            failureBackoff: { baseMs: e.REBUILD_FAILURE_BACKOFF_MS, maxMs: e.REBUILD_FAILURE_BACKOFF_MAX_MS },
          }
        : null,
  };
}
