import type { Logger } from 'pino';
import type { EmitSystemEvent } from '../system-events/emitter.ts';
import { Batcher } from './batcher.ts';
import { partitionForKey } from './partitioner.ts';
import type { Spool } from './spool.ts';
import { SinkUnavailableError, type EventSink, type LogRecord, type PartitionedRecord, type ProducerPort, type SinkMetrics } from './types.ts';

export interface KafkaSinkOptions {
  batching: { lingerMs: number; maxRecords: number; maxPending: number };
  /** The topics the sink writes; their partition counts are read when Kafka first answers. */
  topics: readonly string[];
  /** A batch not acknowledged within this goes to the spool instead. */
  sendTimeoutMs?: number;
  /** How often the spool drainer retries Kafka. */
  drainIntervalMs?: number;
  /** Where Kafka lost/restored and spool engaged/drained are reported (hangarstack.system.events). */
  systemEvents?: EmitSystemEvent;
}

/** One producer and the micro-batches waiting for it. */
interface Lane {
  producer: ProducerPort;
  batcher: Batcher;
}

/**
 * Kafka with a durable fallback. An idempotent producer has one produce request in flight, so
 * one producer waits out every acks=all round trip alone; the sink runs several (`producers`,
 * one lane each) and gives every partition to exactly one of them (partition mod lanes), so the
 * waits overlap while each partition still has one writer, one request at a time, in order.
 *
 * A lane's micro-batch goes to Kafka; if Kafka does not acknowledge it in time, it is fsynced to
 * the local spool instead and the beacon still gets its 2xx. While anything is spooled, new
 * batches are spooled behind it, and a drainer sends the spool to Kafka oldest first (through the
 * same lanes), so per-partition order holds. A batch that timed out may still reach Kafka later and
 * then again from the spool: such duplicates carry the same event id and the consumer drops them.
 * A beacon whose events span lanes is answered once every lane made its events durable. Spool full
 * or unwritable → `SinkUnavailableError` (503).
 */
export class KafkaSink implements EventSink {
  readonly kind = 'kafka';
  readonly #lanes: Lane[];
  readonly #spool: Spool;
  readonly #metrics: SinkMetrics;
  readonly #log: Logger;
  readonly #topics: readonly string[];
  readonly #maxPending: number;
  readonly #sendTimeoutMs: number;
  readonly #drainTimer: NodeJS.Timeout;
  readonly #emit: EmitSystemEvent;
  /** Partition count per topic, read once when Kafka first answers (add partitions → restart). */
  readonly #partitions = new Map<string, number>();
  #connected = false;
  #up = false;
  #reportedDown = false;
  #draining: Promise<void> | undefined;
  /** When Kafka was first found down in the current outage (for kafka.restored's downMs). */
  #downSince: number | undefined;
  /** When the spool last went from empty to non-empty (for spool.drained's spooledMs). */
  #spoolingSince: number | undefined;

  constructor(producers: readonly ProducerPort[], spool: Spool, metrics: SinkMetrics, log: Logger, options: KafkaSinkOptions) {
    if (producers.length === 0) throw new Error('KafkaSink needs at least one producer');
    this.#spool = spool;
    this.#metrics = metrics;
    this.#log = log;
    this.#topics = options.topics;
    this.#maxPending = options.batching.maxPending;
    this.#sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
    this.#emit = options.systemEvents ?? (() => undefined);
    this.#lanes = producers.map((producer) => {
      const lane: Lane = {
        producer,
        // The bound on waiting records is checked across all lanes in send().
        batcher: new Batcher((records) => this.#write(lane, records as PartitionedRecord[]), { ...options.batching, maxPending: Number.MAX_SAFE_INTEGER }),
      };
      return lane;
    });
    this.#drainTimer = setInterval(() => void this.drainSpool(), options.drainIntervalMs ?? 1_000);
    this.#drainTimer.unref();
    this.#updateGauges();
  }

  /**
   * Connects in the background: until Kafka answers, accepted events wait in the spool. The
   * promise settles when this first attempt ended, either way (tests wait for it; main does not).
   */
  async start(): Promise<void> {
    await this.#connect();
  }

  send(records: readonly LogRecord[]): Promise<void> {
    const pending = this.#lanes.reduce((sum, lane) => sum + lane.batcher.pending, 0);
    if (pending + records.length > this.#maxPending) {
      return Promise.reject(new SinkUnavailableError(`${pending} records already waiting for the sink`, 1));
    }
    const byLane = [...this.#route(records)];
    const [only] = byLane;
    if (byLane.length === 1 && only) return only[0].batcher.add(only[1]);
    return Promise.all(byLane.map(([lane, routed]) => lane.batcher.add(routed))).then(() => undefined);
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
    await Promise.all(this.#lanes.map((lane) => lane.batcher.drain()));
    if (this.#spool.depth > 0 && this.#up) await this.drainSpool();
    if (this.#spool.depth > 0) this.#log.warn({ spooled: this.#spool.depth }, 'stopping with events in the spool; they are sent on next start');
    await Promise.all(this.#lanes.map((lane) => lane.producer.disconnect().catch(() => undefined)));
    this.#spool.close();
  }

  /**
   * Groups records by the lane that owns their partition. Before Kafka first answered the
   * partition counts are unknown; such records go to lane 0 with partition -1 and, since
   * Kafka is not up, to the spool (the drainer routes them once it is).
   */
  #route(records: readonly LogRecord[]): Map<Lane, PartitionedRecord[]> {
    const byLane = new Map<Lane, PartitionedRecord[]>();
    for (const r of records) {
      const count = this.#partitions.get(r.topic);
      const partition = count === undefined ? -1 : partitionForKey(r.key, count);
      const lane = this.#lanes[partition < 0 ? 0 : partition % this.#lanes.length] as Lane;
      const list = byLane.get(lane);
      const routed = { topic: r.topic, key: r.key, value: r.value, partition };
      if (list) list.push(routed);
      else byLane.set(lane, [routed]);
    }
    return byLane;
  }

  async #connect(): Promise<boolean> {
    if (this.#connected) return true;
    try {
      await Promise.all(this.#lanes.map((lane) => lane.producer.connect()));
      await this.#learnPartitions(this.#topics.map((topic) => ({ topic })));
      this.#connected = true;
      this.#up = true;
      this.#reportedDown = false;
      this.#metrics.sinkUp.set(1);
      this.#log.info({ producers: this.#lanes.length, partitions: Object.fromEntries(this.#partitions) }, 'connected to Kafka');
      this.#restored();
    } catch (error) {
      this.#markDown(error);
    }
    return this.#connected;
  }

  /** Reads the partition count of every topic not seen yet (a spool may hold topics of an older config). */
  async #learnPartitions(records: readonly Pick<LogRecord, 'topic'>[]): Promise<void> {
    const [first] = this.#lanes as [Lane];
    for (const topic of new Set(records.map((r) => r.topic))) {
      if (!this.#partitions.has(topic)) this.#partitions.set(topic, await first.producer.partitionCount(topic));
    }
  }

  async #write(lane: Lane, records: PartitionedRecord[]): Promise<void> {
    if (this.#up && this.#spool.depth === 0 && records.every((r) => r.partition >= 0)) {
      try {
        await this.#sendToKafka(lane.producer, records);
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
        await this.#learnPartitions(records);
        // Each lane sends its share in spool order; the lanes overlap as they do for live traffic.
        await Promise.all([...this.#route(records)].map(([lane, routed]) => this.#sendToKafka(lane.producer, routed)));
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

  async #sendToKafka(producer: ProducerPort, records: readonly PartitionedRecord[]): Promise<void> {
    const end = this.#metrics.kafkaSendDuration.startTimer();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        producer.send(records),
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
