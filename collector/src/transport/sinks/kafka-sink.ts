import type { Logger } from 'pino';
import type { EmitSystemEvent } from '../system-events/emitter.ts';
import { Batcher } from './batcher.ts';
import type { Spool } from './spool.ts';
import { SinkUnavailableError, type EventSink, type LogRecord, type ProducerPort, type SinkMetrics } from './types.ts';

export interface KafkaSinkOptions {
  batching: { lingerMs: number; maxRecords: number; maxPending: number };
  /** A batch not acknowledged within this goes to the spool instead. */
  sendTimeoutMs?: number;
  /** How often the spool drainer retries Kafka. */
  drainIntervalMs?: number;
  /** Where Kafka lost/restored and spool engaged/drained are reported (hangarstack.system.events). */
  systemEvents?: EmitSystemEvent;
}

/**
 * Kafka with a durable fallback. A micro-batch goes to Kafka (acks=all, idempotent producer);
 * if Kafka does not acknowledge it in time, it is fsynced to the local spool instead and the
 * beacon still gets its 2xx. While anything is spooled, new batches are spooled behind it, and a
 * drainer sends the spool to Kafka oldest first, so per-key order holds. A batch that timed out
 * may still reach Kafka later and then again from the spool: such duplicates carry the same
 * event id and the consumer drops them. Spool full or unwritable → `SinkUnavailableError` (503).
 */
export class KafkaSink implements EventSink {
  readonly kind = 'kafka';
  readonly #producer: ProducerPort;
  readonly #spool: Spool;
  readonly #metrics: SinkMetrics;
  readonly #log: Logger;
  readonly #batcher: Batcher;
  readonly #sendTimeoutMs: number;
  readonly #drainTimer: NodeJS.Timeout;
  #connected = false;
  #up = false;
  #reportedDown = false;
  #draining: Promise<void> | undefined;
  readonly #emit: EmitSystemEvent;
  /** When Kafka was last seen failing (for kafka.restored's downMs); undefined while up. */
  #downSince: number | undefined;
  /** When the spool took its first batch of the current episode. */
  #spoolingSince: number | undefined;

  constructor(producer: ProducerPort, spool: Spool, metrics: SinkMetrics, log: Logger, options: KafkaSinkOptions) {
    this.#producer = producer;
    this.#spool = spool;
    this.#metrics = metrics;
    this.#log = log;
    this.#sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
    this.#emit = options.systemEvents ?? (() => undefined);
    this.#batcher = new Batcher((records) => this.#write(records), options.batching);
    this.#drainTimer = setInterval(() => void this.drainSpool(), options.drainIntervalMs ?? 1_000);
    this.#drainTimer.unref();
    this.#updateGauges();
  }

  /** Connects in the background: until Kafka answers, accepted events wait in the spool. */
  start(): void {
    void this.#connect();
  }

  send(records: readonly LogRecord[]): Promise<void> {
    return this.#batcher.add(records);
  }

  ready(): { ok: boolean; detail: string } {
    if (this.#up) return { ok: true, detail: 'kafka acknowledging' };
    const room = this.#spool.bytes < this.#spool.maxBytes * 0.9;
    return { ok: room, detail: room ? `kafka down, spooling (${this.#spool.depth} events)` : 'kafka down and spool nearly full' };
  }

  /** Sends spooled events to Kafka, oldest first, until the spool is empty or Kafka fails. */
  drainSpool(): Promise<void> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async close(): Promise<void> {
    clearInterval(this.#drainTimer);
    await this.#batcher.drain();
    if (this.#spool.depth > 0 && this.#up) await this.drainSpool();
    if (this.#spool.depth > 0) this.#log.warn({ spooled: this.#spool.depth }, 'stopping with events in the spool; they are sent on next start');
    await this.#producer.disconnect().catch(() => undefined);
    this.#spool.close();
  }

  async #connect(): Promise<boolean> {
    if (this.#connected) return true;
    try {
      await this.#producer.connect();
      this.#connected = true;
      this.#up = true;
      this.#reportedDown = false;
      this.#metrics.sinkUp.set(1);
      this.#log.info('connected to Kafka');
      this.#restored();
    } catch (error) {
      this.#markDown(error);
    }
    return this.#connected;
  }

  async #write(records: LogRecord[]): Promise<void> {
    if (this.#up && this.#spool.depth === 0) {
      try {
        await this.#sendToKafka(records);
        return;
      } catch (error) {
        this.#markDown(error);
      }
    }
    try {
      if (this.#spool.depth === 0) {
        this.#spoolingSince = Date.now();
        this.#emit('spool.engaged', { depth: records.length });
      }
      this.#spool.append(records);
    } catch (error) {
      throw new SinkUnavailableError(`Kafka is unavailable and the spool cannot take more: ${(error as Error).message}`, 10);
    } finally {
      this.#updateGauges();
    }
  }

  async #drain(): Promise<void> {
    while (this.#spool.depth > 0) {
      if (!(await this.#connect())) return;
      const { upTo, records } = this.#spool.peek(500);
      try {
        await this.#sendToKafka(records);
      } catch (error) {
        this.#markDown(error);
        return;
      }
      this.#spool.acknowledge(upTo, records);
      this.#updateGauges();
      if (!this.#up) {
        this.#up = true;
        this.#reportedDown = false;
        this.#metrics.sinkUp.set(1);
        this.#log.info('Kafka is back; draining the spool');
        this.#restored();
      }
    }
    if (this.#spoolingSince !== undefined) {
      this.#emit('spool.drained', { spooledMs: Date.now() - this.#spoolingSince });
      this.#spoolingSince = undefined;
    }
  }

  #restored(): void {
    if (this.#downSince === undefined) return;
    this.#emit('kafka.restored', { downMs: Date.now() - this.#downSince });
    this.#downSince = undefined;
  }

  async #sendToKafka(records: readonly LogRecord[]): Promise<void> {
    const end = this.#metrics.kafkaSendDuration.startTimer();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#producer.send(records),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no acknowledgement within ${this.#sendTimeoutMs} ms`)), this.#sendTimeoutMs);
        }),
      ]);
      end();
    } catch (error) {
      this.#metrics.kafkaSendErrors.inc();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #markDown(error: unknown): void {
    if (!this.#reportedDown) {
      this.#log.warn({ err: (error as Error).message }, 'Kafka unavailable; spooling accepted events');
      this.#reportedDown = true;
    }
    if (this.#downSince === undefined) {
      this.#downSince = Date.now();
      this.#emit('kafka.lost', { error: (error as Error).message.slice(0, 500) });
    }
    this.#up = false;
    this.#metrics.sinkUp.set(0);
  }

  #updateGauges(): void {
    this.#metrics.spoolDepth.set(this.#spool.depth);
    this.#metrics.spoolBytes.set(this.#spool.bytes);
  }
}
