import { dirname, join } from 'node:path';
import { z } from 'zod';
import { TOPICS, parseEnv } from '@hangarstack/shared';
import { kafkaConnectionFromEnv, kafkaEnvShape, type KafkaConnection } from '../transport/kafka-connection.ts';

const ms = z.coerce.number().int().min(0);

const consumerEnvShape = {
  ...kafkaEnvShape,
  HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(8788),
  EMBEDDED_LOG_PATH: z.string().min(1).default('.data/events.db'),
  POPULARITY_FILE: z.string().min(1).default('.data/popularity.json'),
  SEARCH_REPORT_FILE: z.string().min(1).optional(),
  CONSUMER_STATE_DIR: z.string().min(1).default('.data/consumer'),
  CONSUMER_GROUP: z.string().min(1).max(200).default('hangarstack-popularity'),
  K_ANONYMITY: z.coerce.number().int().min(1).max(1_000).default(5),
  KAFKA_TOPIC_VIEWS: z.string().min(1).default(TOPICS.views),
  KAFKA_TOPIC_SEARCHES: z.string().min(1).default(TOPICS.searches),
  /** Publish at most this often while events stream in. */
  PUBLISH_INTERVAL_MS: ms.default(1_000),
  REBUILD: z.enum(['on', 'off']).default('on'),
  REBUILD_COMMAND: z.string().min(1).default('node site/scripts/build-and-swap.ts'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export type ConsumerEnv = z.infer<z.ZodObject<typeof consumerEnvShape>>;

export interface ConsumerConfig {
  env: ConsumerEnv;
  kafka: KafkaConnection | null;
  topics: { views: string; searches: string };
  searchReportFile: string;
}

/** Reads the consumer's configuration from the environment, once, at start-up. */
export function loadConsumerConfig(env: Record<string, string | undefined> = process.env): ConsumerConfig {
  const e = parseEnv(consumerEnvShape, env);
  return {
    env: e,
    kafka: kafkaConnectionFromEnv(e),
    topics: { views: e.KAFKA_TOPIC_VIEWS, searches: e.KAFKA_TOPIC_SEARCHES },
    searchReportFile: e.SEARCH_REPORT_FILE ?? join(dirname(e.POPULARITY_FILE), 'search-report.json'),
  };
}
