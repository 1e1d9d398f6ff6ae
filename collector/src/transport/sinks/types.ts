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

/**
 * The Kafka client behind a port, so kafkajs can be swapped (and measured against another
 * client) without touching the sink. `send` resolves when the brokers acknowledged every record
 * with acks=all.
 */
export interface ProducerPort {
  connect(): Promise<void>;
  send(records: readonly LogRecord[]): Promise<void>;
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
