import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigError } from '@hangarstack/shared';

/**
 * How to reach a Kafka cluster, from the environment, independent of the client library:
 * plain on loopback for tests, or SASL_SSL for a managed cluster such as Confluent Cloud
 * (`KAFKA_SSL=true KAFKA_SASL_MECHANISM=plain KAFKA_SASL_USERNAME=<key> KAFKA_SASL_PASSWORD=<secret>`).
 * Used by both the collector and the consumer; spread it into a `parseEnv` shape.
 */
export const kafkaEnvShape = {
  /** Comma-separated `host:port` list. Unset: no Kafka, the embedded log is used. */
  KAFKA_BROKERS: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}(,[\w.-]+:\d{1,5})*$/, 'must be host:port[,host:port…]')
    .optional(),
  KAFKA_CLIENT_ID: z.string().min(1).max(100).default('hangarstack'),
  KAFKA_SSL: z.enum(['true', 'false']).default('false'),
  /** PEM file with the CA that signed the brokers' certificates (default: the system's CAs). */
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
};

type KafkaEnv = z.infer<z.ZodObject<typeof kafkaEnvShape>>;

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** false, or TLS with an optional CA. Certificates are always verified. */
  ssl: false | { ca?: string };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** The connection the environment describes, or null for "no Kafka: use the embedded log". */
export function kafkaConnectionFromEnv(env: KafkaEnv): KafkaConnection | null {
  if (!env.KAFKA_BROKERS) return null;
  const connection: KafkaConnection = {
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: env.KAFKA_CLIENT_ID,
    ssl: env.KAFKA_SSL === 'true' ? (env.KAFKA_SSL_CA_FILE ? { ca: readCaFile(env.KAFKA_SSL_CA_FILE) } : {}) : false,
  };
  if (env.KAFKA_SASL_MECHANISM) {
    if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) {
      throw new ConfigError('KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required too (or unset KAFKA_SASL_MECHANISM)');
    }
    connection.sasl = { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
  }
  return connection;
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`KAFKA_SSL_CA_FILE (${JSON.stringify(path)}): cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); point it at the PEM file of the CA that signed the brokers' certificates`, { cause: error });
  }
}

/** kafkajs' client options for a connection (TLS verification is never turned off). */
export function toKafkaJsConfig(connection: KafkaConnection): KafkaConfig {
  const config: KafkaConfig = {
    clientId: connection.clientId,
    brokers: connection.brokers,
    ssl: connection.ssl === false ? false : { rejectUnauthorized: true, ...connection.ssl },
  };
  if (connection.sasl) config.sasl = connection.sasl as SASLOptions;
  return config;
}
