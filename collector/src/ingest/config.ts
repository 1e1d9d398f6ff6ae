import { z } from 'zod';
import { parseEnv } from '@hangarstack/shared';
import { kafkaConnectionFromEnv, type KafkaConnection } from '../transport/kafka-connection.ts';
import { serviceEnvShape, type LogLevel, type ServiceTopics } from '../transport/service-env.ts';
import { compileTrust } from './client-address.ts';
import { KAFKA_COMPRESSIONS, type KafkaCompression } from '../transport/sinks/types.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const list = z
  .string()
  .transform((s) => s.split(',').map((item) => item.trim()).filter(Boolean));

export const collectorEnvShape = {
  ...serviceEnvShape,
  PORT: port.default(8787),
  SPOOL_DIR: z.string().min(1).default('.data/spool'),
  SPOOL_MAX_BYTES: positiveInt.default(256 * 1024 * 1024),
  CORS_ORIGINS: list.default(['http://localhost:4321', 'http://127.0.0.1:4321']),
  AIRCRAFT_DATA_DIR: z.string().min(1).default('data/aircraft'),
  SITE_ID: z.string().min(1).max(100).default('hangarstack'),
  SALT_DIR: z.string().min(1).default('.data/salts'),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(120),
  RATE_LIMIT_BURST: positiveInt.default(60),
  /**
   * Proxies whose X-Forwarded-For entries are believed: CIDRs, addresses, `loopback`, `private`,
   * `linklocal`, comma-separated. Empty (the default): the socket address is the client.
   */
  TRUSTED_PROXIES: list.default([]).superRefine((entries, ctx) => {
    try {
      compileTrust(entries);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  /** A CDN's client-IP header (e.g. CF-Connecting-IP), believed only through trusted proxies. */
  CLIENT_IP_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be a header name such as CF-Connecting-IP')
    .transform((s) => s.toLowerCase())
    .optional(),
  /**
   * Idempotent producers sending side by side (one connection and one request in flight each);
   * each partition has one. 1 by default: measured, more only cost CPU here (collector/README.md).
   */
  KAFKA_PRODUCERS: z.coerce.number().int().min(1).max(32).default(1),
  /** Batch codec; none by default, measured (collector/README.md). */
  KAFKA_COMPRESSION: z.enum(KAFKA_COMPRESSIONS).default('none'),
  /** Micro-batching: how long a record may wait for company before it is sent. */
  BATCH_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(0),
  BATCH_MAX_RECORDS: positiveInt.default(500),
  /** Records waiting for the sink before new beacons get 503 (bounded in-flight work). */
  MAX_PENDING_RECORDS: positiveInt.default(20_000),
};

export interface CollectorConfig {
  host: string;
  port: number;
  /** null: no Kafka configured, the embedded durable log is the sink. */
  kafka: KafkaConnection | null;
  producer: { count: number; compression: KafkaCompression };
  embeddedLogPath: string;
  spool: { dir: string; maxBytes: number };
  corsOrigins: string[];
  aircraftDataDir: string;
  siteId: string;
  saltDir: string;
  rateLimit: { perMinute: number; burst: number };
  client: { trustedProxies: string[]; clientIpHeader: string | null };
  topics: ServiceTopics;
  batching: { lingerMs: number; maxRecords: number; maxPending: number };
  logLevel: LogLevel;
}

/** Reads the collector's configuration from the environment, once, at start-up. */
export function loadCollectorConfig(env: Record<string, string | undefined> = process.env): CollectorConfig {
  const e = parseEnv(collectorEnvShape, env);
  return {
    host: e.HOST,
    port: e.PORT,
    kafka: kafkaConnectionFromEnv(e),
    producer: { count: e.KAFKA_PRODUCERS, compression: e.KAFKA_COMPRESSION },
    embeddedLogPath: e.EMBEDDED_LOG_PATH,
    spool: { dir: e.SPOOL_DIR, maxBytes: e.SPOOL_MAX_BYTES },
    corsOrigins: e.CORS_ORIGINS,
    aircraftDataDir: e.AIRCRAFT_DATA_DIR,
    siteId: e.SITE_ID,
    saltDir: e.SALT_DIR,
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, burst: e.RATE_LIMIT_BURST },
    client: { trustedProxies: e.TRUSTED_PROXIES, clientIpHeader: e.CLIENT_IP_HEADER ?? null },
    topics: { views: e.KAFKA_TOPIC_VIEWS, searches: e.KAFKA_TOPIC_SEARCHES, systemEvents: e.KAFKA_TOPIC_SYSTEM_EVENTS, dataUpdates: e.KAFKA_TOPIC_DATA_UPDATES, activity: e.KAFKA_TOPIC_ACTIVITY },
    batching: { lingerMs: e.BATCH_LINGER_MS, maxRecords: e.BATCH_MAX_RECORDS, maxPending: e.MAX_PENDING_RECORDS },
    logLevel: e.LOG_LEVEL,
  };
}
