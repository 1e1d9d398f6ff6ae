import { Kafka, logLevel, type Admin, type Consumer, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaJsConfig, type KafkaConnection } from '../kafka-connection.ts';
import type { KafkaHealth } from '../kafka-health.ts';
import type { EventSource, PartitionProcessor } from './types.ts';

/**
 * A kafkajs consumer-group member. On every (re)balance it pauses its new assignment, lets
 * `restore` bring the state up to date (the changelog read to its end), hands the partitions to
 * the processor and seeks each to the offset its stored state reflects, so the state, not the
 * group's committed offsets, decides where reading resumes. Offsets are still committed after
 * each batch's state is stored, for tooling and lag.
 */
export class KafkaSource implements EventSource {
  readonly #engine: PartitionProcessor;
  readonly #topics: readonly string[];
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #afterBatch: (key: string, lag: number) => void;
  readonly #restore: (keys: readonly string[]) => Promise<void>;
  readonly #onFatal: (error: Error) => void;
  readonly #onJoin: (() => void) | undefined;
  readonly #health: KafkaHealth | undefined;
  /** Partitions restored and sought: batches of any other partition are left for after the seek. */
  #ready = new Set<string>();
  #generation = 0;
  /** Set by `stop`: no batch is applied any more, so what is stored is what the next owner reads from. */
  #stopping = false;
  /** Batches being applied (`stop` waits for them before storing and leaving the group). */
  readonly #inFlight = new Set<Promise<void>>();
  /** The offsets last committed to the group, per partition (committed only when the stored state moved). */
  readonly #committed = new Map<string, string>();
  /** Group offset commits under way, per partition, and the partitions to commit again once theirs ends. */
  readonly #committing = new Map<string, Promise<void>>();
  readonly #commitAgain = new Set<string>();
  readonly #log: Logger;

  constructor(
    connection: KafkaConnection,
    group: string,
    engine: PartitionProcessor,
    topics: readonly string[],
    log: Logger,
    options: {
      /** Told after each batch, with how many records its partition still has after it (its lag). */
      afterBatch: (key: string, lag: number) => void;
      /** Brings the state of the partitions just assigned up to date (and claims them); nothing of them is applied before it resolves. */
      restore: (keys: readonly string[]) => Promise<void>;
      /** Without its state, or once kafkajs stopped for good, a member must not linger: the caller stops the process. */
      onFatal: (error: Error) => void;
      /** Told when the group member crashes (the broker went away) and when it fetches again. */
      health?: KafkaHealth;
      /** The group session: a member silent this long is dropped and its partitions reassigned. */
      sessionTimeoutMs: number;
      /** Told on every join of the group (start-up and each rebalance), before the restore. */
      onJoin?: () => void;
    },
  ) {
    const kafka = new Kafka({
      ...toKafkaJsConfig(connection),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        log.warn({ kafkajs: entry.namespace, ...rest }, message);
      },
    });
    // The session is how long a SIGKILLed member's partitions wait for a new owner (the join of a
    // new member completes only once the dead one's session expired), and how long a member may go
    // without a heartbeat before it is dropped. kafkajs heartbeats from its fetch loop, every
    // second, so a batch that takes long or an event loop blocked (a publish, a full collection, a
    // starved CPU) delays it; a member dropped so loses nothing (it rejoins, claims and restores;
    // its write under way is fenced and read again) but stalls for a rebalance. See
    // CONSUMER_SESSION_TIMEOUT_MS for the measured gaps behind its default.
    // A fetch waits at most 100 ms for data (kafkajs waits 5 s, the Java client 500 ms): while the
    // partitions are paused for the restore, kafkajs's fetch loop sleeps that long instead of
    // fetching, and `resume` does not cut the sleep short, so every join left the first records
    // waiting for it: up to 5 s (beacon → JSON p95 5.6 s), then up to 500 ms. At 500 ms the 1 M
    // bench's first batch came 675-837 ms after "consuming", at 100 ms 279-434 ms (3 interleaved
    // pairs, load 3.5-5). An idle member sends up to ten empty fetches a second for it.
    this.#consumer = kafka.consumer({ groupId: group, sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: 1_000, rebalanceTimeout: 20_000, maxWaitTimeInMs: 100 });
    this.#admin = kafka.admin();
    this.#engine = engine;
    this.#log = log;
    this.#topics = topics;
    this.#afterBatch = options.afterBatch;
    this.#restore = options.restore;
    this.#onFatal = options.onFatal;
    this.#health = options.health;
    this.#onJoin = options.onJoin;
  }

  /** The partitions this member owns and has restored. */
  get assigned(): readonly string[] {
    return [...this.#ready].sort();
  }

  async start(): Promise<void> {
    await this.#admin.connect();
    const existing = new Set(await this.#admin.listTopics());
    const missing = this.#topics.filter((t) => !existing.has(t));
    if (missing.length > 0) await this.#admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
    await this.#consumer.connect();
    for (const topic of this.#topics) await this.#consumer.subscribe({ topic, fromBeginning: true });

    // kafkajs gives up on some errors without restarting: a member that silently stopped reading
    // would hold nothing and lag forever, so it stops and is restarted (state restores from Kafka).
    this.#consumer.on(this.#consumer.events.CRASH, ({ payload }) => {
      // A broker gone away shows here first: kafkajs gives up its retries and restarts the member.
      this.#health?.lost(payload.error);
      if (!payload.restart) this.#onFatal(payload.error);
    });
    // A completed fetch (empty or not) means the broker answers again.
    this.#consumer.on(this.#consumer.events.FETCH, () => this.#health?.ok());
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#onJoin?.();
      const keys = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}:${p}`));
      const generation = ++this.#generation;
      this.#ready = new Set();
      this.#consumer.pause(this.#topics.map((topic) => ({ topic })));
      // What the previous owner stored must be read before this member continues from it.
      this.#restore(keys)
        .then(() => {
          if (generation !== this.#generation) return;
          this.#engine.assign(keys);
          for (const key of keys) {
            const [topic, partition] = splitKey(key);
            this.#consumer.seek({ topic, partition, offset: this.#engine.nextOffset(key) });
          }
          this.#ready = new Set(keys);
          this.#consumer.resume(this.#topics.map((topic) => ({ topic })));
        })
        .catch((error: unknown) => this.#onFatal(error as Error));
    });

    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const key = `${batch.topic}:${batch.partition}`;
        if (this.#stopping || !isRunning() || isStale() || batch.messages.length === 0 || !this.#ready.has(key)) return;
        // kafkajs's messages are handed over as they are (each is a SourceRecord: a decimal offset
        // and the value's bytes). A copy per record was kept with its commit interval for the
        // retry, so it outlived the young generation too: ~45 MB promoted per 1 M records, on top
        // of the messages themselves, which kafkajs decodes a whole fetch of before the first batch
        // and so are in the old generation already.
        const applying = this.#engine.applyBatch(key, batch.topic, batch.messages);
        this.#inFlight.add(applying);
        try {
          await applying;
        } finally {
          this.#inFlight.delete(applying);
        }
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        this.#commitStored(key);
        await heartbeat();
        this.#afterBatch(key, Number(batch.offsetLag()));
      },
    });
  }

  /**
   * Commits the group offset of a partition's stored state when it moved, without holding up the
   * next fetch: group offsets are for tooling and lag only (the stored state decides where reading
   * resumes). kafkajs fetches again only once every batch of a fetch is handled, and an awaited
   * commit (~20 ms at load ~6, once per stored batch, ~300 per 1 M records) kept every fetch cycle
   * waiting for it. One commit per partition at a time, so an older one never lands after a newer
   * one; what moved meanwhile is committed when it ends. A failed commit (a rebalance under way) is
   * left to the next.
   */
  #commitStored(key: string): void {
    if (this.#committing.has(key)) {
      this.#commitAgain.add(key);
      return;
    }
    const stored = this.#engine.storedOffset(key);
    if (this.#committed.get(key) === stored) return;
    const [topic, partition] = splitKey(key);
    const committing = this.#consumer
      .commitOffsets([{ topic, partition, offset: stored }])
      .then(
        () => void this.#committed.set(key, stored),
        (error: unknown) => this.#log.debug({ partition: key, err: (error as Error).message }, 'committing a group offset failed; the next stored batch commits it'),
      )
      .finally(() => {
        this.#committing.delete(key);
        if (this.#commitAgain.delete(key) && !this.#stopping) this.#commitStored(key);
      });
    this.#committing.set(key, committing);
  }

  /** Per-partition lag; its regular calls double as the probe that tells `health` whether the broker answers. */
  async lag(): Promise<Map<string, number>> {
    const lag = new Map<string, number>();
    for (const topic of this.#topics) {
      const offsets = await this.#admin.fetchTopicOffsets(topic).catch((error: unknown) => {
        this.#health?.lost(error);
        throw error;
      });
      this.#health?.ok();
      for (const o of offsets) {
        const key = `${topic}:${o.partition}`;
        if (this.#ready.has(key)) lag.set(key, Math.max(0, Number(BigInt(o.high) - BigInt(this.#engine.nextOffset(key)))));
      }
    }
    return lag;
  }

  async stop(): Promise<void> {
    // Store what waits for its commit interval while this member still owns its partitions: once
    // it has left the group, their new owners restore from the changelog.
    this.#stopping = true;
    await Promise.allSettled([...this.#inFlight]);
    await this.#engine.flush();
    await Promise.all([...this.#committing.values()]);
    await this.#consumer.disconnect();
    await this.#admin.disconnect();
  }
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
