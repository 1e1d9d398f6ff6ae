import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import {
  SYSTEM_EVENT_LEVELS,
  SYSTEM_EVENT_SCHEMA_VERSION,
  systemEventSchema,
  type SystemEvent,
  type SystemEventDetail,
  type SystemEventType,
  type SystemService,
} from '@hangarstack/shared';
import { EmbeddedLog, type LogRecord } from '../embedded-log.ts';
import { toKafkaJsConfig, type KafkaConnection } from '../kafka-connection.ts';

/** Where system events are written: the Kafka topic or the embedded log. */
export interface SystemEventWriter {
  write(records: readonly LogRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Emits one event; the service code calls only this. */
export type EmitSystemEvent = <T extends SystemEventType>(type: T, detail: SystemEventDetail<T>) => void;

export interface SystemEventsOptions {
  service: SystemService;
  topic: string;
  writer: SystemEventWriter;
  log: Logger;
  /** Events kept while the writer is failing (oldest dropped beyond this, and counted in the log). */
  maxQueued?: number;
  retryMs?: number;
}

/**
 * Emits schema'd operational events without ever blocking or failing the service: `emit` logs the
 * event (so stdout always has it), queues it, and a background flush writes the queue in order.
 * While the writer fails (Kafka down: exactly when `kafka.lost` matters) events stay queued and
 * are retried, so the incident is on the topic once Kafka is back.
 */
export class SystemEvents {
  readonly #o: Required<SystemEventsOptions>;
  readonly #instance = `${hostname()}:${process.pid}`;
  readonly #queue: LogRecord[] = [];
  #flushing: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(options: SystemEventsOptions) {
    this.#o = { maxQueued: 1_000, retryMs: 1_000, ...options };
  }

  readonly emit: EmitSystemEvent = (type, detail) => this.#emit(this.#o.service, type, detail);

  /** An emitter for another part of the same process (the consumer's rebuilder), sharing the writer. */
  emitAs(service: SystemService): EmitSystemEvent {
    return (type, detail) => this.#emit(service, type, detail);
  }

  #emit<T extends SystemEventType>(service: SystemService, type: T, detail: SystemEventDetail<T>): void {
    const event = systemEventSchema.parse({
      schema: SYSTEM_EVENT_SCHEMA_VERSION,
      id: randomUUID(),
      at: Date.now(),
      service,
      instance: this.#instance,
      type,
      detail,
    }) as SystemEvent;
    const fields: Record<string, unknown> = { systemEvent: type, ...(detail as object) };
    this.#o.log[SYSTEM_EVENT_LEVELS[type]](fields, `system event ${String(type)}`);
    this.#queue.push({ topic: this.#o.topic, key: service, value: JSON.stringify(event) });
    if (this.#queue.length > this.#o.maxQueued) {
      this.#queue.shift();
      this.#dropped += 1;
    }
    void this.flush();
  }

  /** Writes everything queued; resolves when the queue is empty or the writer failed (retried later). */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /** Flushes for up to `timeoutMs`, then releases the writer; resolves with the number of events left unsent. */
  async close(timeoutMs = 3_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.length > 0 && Date.now() < deadline) {
      await Promise.race([this.flush(), new Promise((done) => setTimeout(done, Math.max(0, deadline - Date.now())).unref())]);
      if (this.#queue.length > 0) await new Promise((done) => setTimeout(done, Math.min(200, Math.max(0, deadline - Date.now()))).unref());
    }
    clearTimeout(this.#retryTimer);
    const unsent = this.#queue.length;
    if (unsent > 0) this.#o.log.warn({ unsent }, 'stopping with system events unsent');
    await this.#o.writer.close().catch(() => undefined);
    return unsent;
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, 100);
      try {
        await this.#o.writer.write(batch);
      } catch (error) {
        this.#o.log.debug({ err: (error as Error).message }, 'system events not written yet; retrying');
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => void this.flush(), this.#o.retryMs);
        this.#retryTimer.unref();
        return;
      }
      this.#queue.splice(0, batch.length);
      if (this.#dropped > 0) {
        this.#o.log.warn({ dropped: this.#dropped }, 'system events were dropped while the writer was failing');
        this.#dropped = 0;
      }
    }
  }
}

/** Appends to the embedded durable log (the same file the other topics use in embedded mode). */
export function embeddedSystemEventWriter(path: string): SystemEventWriter {
  const log = EmbeddedLog.open(path);
  return {
    write: async (records) => void log.append(records),
    close: async () => log.close(),
  };
}

/**
 * A small producer of its own, apart from the beacon producer: short timeouts and few retries of
 * its own (the emitter retries), so a dead cluster never holds up the service.
 */
export function kafkaSystemEventWriter(connection: KafkaConnection): SystemEventWriter {
  const kafka = new Kafka({ ...toKafkaJsConfig(connection), connectionTimeout: 3_000, requestTimeout: 5_000, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 }, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  let connected: Promise<void> | undefined;
  return {
    async write(records) {
      connected ??= producer.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      await producer.send({ topic: records[0]?.topic ?? '', acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value })) });
    },
    close: () => producer.disconnect(),
  };
}

/** The writer for a service's mode. */
export function systemEventWriter(kafka: KafkaConnection | null, embeddedLogPath: string): SystemEventWriter {
  return kafka ? kafkaSystemEventWriter(kafka) : embeddedSystemEventWriter(embeddedLogPath);
}

/** What the `started` event reports as the version: HANGAR_VERSION (set it in the image), else the git commit, else unknown. */
export function serviceVersion(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HANGAR_VERSION) return env.HANGAR_VERSION.slice(0, 100);
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).trim() || 'unknown';
  } catch {
    return 'unknown'; // no git in the image: set HANGAR_VERSION
  }
}
