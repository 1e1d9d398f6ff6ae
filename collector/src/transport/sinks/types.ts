import type { LogRecord } from '../embedded-log.ts';

export type { LogRecord };

/**
 * Where accepted events go. `send` resolves only once every record is durable (Kafka acked it,
 * the local spool fsynced it, or the embedded log committed it); it rejects with
 * `SinkUnavailableError` when none of that is possible, and the caller answers 503.
 */
export interface EventSink {
  readonly kind: 'kafka' | 'embedded';
  send(records: readonly LogRecord[]): Promise<void>;
  /** Can a request be accepted right now? (for /readyz) */
  ready(): { ok: boolean; detail: string };
  /** Flushes what is pending and releases connections. */
  close(): Promise<void>;
}

/** No durable place for the events right now: answer 503 + Retry-After. */
export class SinkUnavailableError extends Error {
  override readonly name = 'SinkUnavailableError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A record with the partition the sink chose for it (Kafka's default partitioner on the key). */
export interface PartitionedRecord extends LogRecord {
  partition: number;
}

/**
 * Batch codecs the collector may write: those the popularity consumer (kafkajs) reads without
 * codec packages. lz4 and zstd would need native add-ons there (collector/README.md, Performance).
 */
export const KAFKA_COMPRESSIONS = ['none', 'gzip'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

/**
 * The Kafka client behind a port, so the client can be swapped (and measured against another)
 * without touching the sink. One port is one idempotent producer: one connection per broker and
 * one produce request in flight, so the sink runs several ports to overlap acknowledgements.
 */
export interface ProducerPort {
  /** Resolves once the cluster answered and the producer holds its idempotent producer id. */
  connect(): Promise<void>;
  /** How many partitions `topic` has (created with the broker's defaults when it does not exist yet). */
  partitionCount(topic: string): Promise<number>;
  /** Resolves when the brokers acknowledged every record (acks=all), each in the partition it names. */
  send(records: readonly PartitionedRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * What the Kafka sink reports, as a port: the transport needs five instruments, not the ingest
 * service's whole metrics object (which satisfies this as it is, so no adapter is needed).
 */
export interface SinkMetrics {
  /** 1 while Kafka acknowledges, 0 while it does not. */
  sinkUp: { set(value: number): void };
  /** Starts timing one batch; calling the result records its duration. */
  kafkaSendDuration: { startTimer(): () => unknown };
  kafkaSendErrors: { inc(): void };
  spoolDepth: { set(value: number): void };
  spoolBytes: { set(value: number): void };
}
