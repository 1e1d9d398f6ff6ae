import { z } from 'zod';
import { TOPICS } from '@hangarstack/shared';
import { kafkaEnvShape } from './kafka-connection.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The variables both services read, defined once: spread into each service's `parseEnv` shape so
 * the collector and the consumer agree on names, defaults and bounds (a topic the collector writes
 * is the topic the consumer reads unless both are told otherwise).
 */
export const serviceEnvShape = {
  ...kafkaEnvShape,
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The embedded durable log that stands in for Kafka when KAFKA_BROKERS is unset. */
  EMBEDDED_LOG_PATH: z.string().min(1).default('.data/events.db'),
  KAFKA_TOPIC_VIEWS: z.string().min(1).max(249).default(TOPICS.views),
  KAFKA_TOPIC_SEARCHES: z.string().min(1).max(249).default(TOPICS.searches),
  KAFKA_TOPIC_ACTIVITY: z.string().min(1).max(249).default(TOPICS.activity),
  KAFKA_TOPIC_SYSTEM_EVENTS: z.string().min(1).max(249).default(TOPICS.systemEvents),
  KAFKA_TOPIC_DATA_UPDATES: z.string().min(1).max(249).default(TOPICS.dataUpdates),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
};

/** The topics both services use, as each service's config carries them. */
export interface ServiceTopics {
  views: string;
  searches: string;
  systemEvents: string;
  dataUpdates: string;
  activity: string;
}
