import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin, type Consumer, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaJsConfig, type KafkaConnection } from '../../transport/kafka-connection.ts';
import type { KafkaHealth } from '../../transport/kafka-health.ts';
import { deadLetterMessages, ensureDeadLetterTopic } from '../dead-letters.ts';
import { ChangelogFencedError, type ChangelogWriter, type DeadLetters } from '../engine.ts';
import { latestByKey, parseRowKey, rowKey, type StateRow } from './rows.ts';

/** The name under which the local store keeps how far it has read the changelog. */
export const CHANGELOG_POSITION = 'changelog';

/** A batch's rows can be large (a dense sketch is 16 KiB); the broker's 1 MiB default is raised. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * How a changelog producer retries a send. A partition's next transaction often begins while the
 * coordinator still writes the last one's commit markers, and its AddPartitionsToTxn is answered
 * CONCURRENT_TRANSACTIONS: kafkajs retried after its 300 ms initial backoff (the Java client
 * retries that after 20 ms), and each of those (0-3 per 1 M bench records) held the partition's
 * next batches, and with them the consumer's fetch cycle, that long. From 30 ms, four times longer
 * each time, kafkajs's five retries wait ~10 s in all, no less than its defaults (~9.3 s), so a
 * broker outage is waited out as long as before. `retries` stays kafkajs's own: a limit set here
 * makes it warn that an idempotent producer's guarantees may not hold.
 */
const SEND_RETRY = { initialRetryTime: 30, multiplier: 4 };

/** The record header naming the process that wrote a row (see `start`'s `strangers`). */
const WRITER_HEADER = 'writer';

/**
 * A transaction left open by a member that froze is aborted after this long at most (its partition's
 * new owner aborts it sooner, when it claims the partition); until then readers wait before it.
 */
const TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * The state changelog on Kafka (deploy/kafka/topics.json), as Kafka Streams backs its state stores: a compacted topic keyed
 * by partition, aggregate kind, bucket and item (rows.ts), so the latest value of every row
 * survives and a deleted one is a tombstone. One topic partition keeps every write in one order,
 * and a batch's rows go in one produce request (one record batch, appended whole), offset row last.
 *
 * Every member reads the whole topic: a member that is assigned a partition restores its state
 * from here (its local store is only a cache), and every member sees every partition's partial
 * aggregates, so whichever publishes merges them all.
 *
 * Zombie fencing, as Kafka Streams' exactly-once: each source partition's rows are written in
 * transactions of a producer whose transactional id is the group and that partition. A member that
 * is assigned a partition claims it (`claim`: InitProducerId bumps the id's epoch and aborts an open
 * transaction of the previous owner) before it reads the changelog to its end, so the previous
 * owner's writes are either before that end (committed, restored) or refused with a fenced error
 * (`ChangelogFencedError`: it was frozen or cut off past its session and has not noticed yet).
 * The reader reads committed rows only, so an aborted write is never restored.
 */
export class KafkaChangelog implements ChangelogWriter {
  readonly #topic: string;
  readonly #kafka: Kafka;
  readonly #group: string;
  readonly #admin: Admin;
  readonly #consumer: Consumer;
  /**
   * Per claimed source partition: its transactional producer, `fenced` once a write was refused or
   * a transaction was left unfinished (kafkajs cannot begin another; only the next claim can).
   */
  readonly #producers = new Map<string, { producer: Producer; fenced: boolean }>();
  /** Claims run one after another (a newer assignment's claim waits for the older one's). */
  #claiming: Promise<void> = Promise.resolve();
  /** This process, in every row it writes, so the reader tells its own rows from another member's. */
  readonly #writer = Buffer.from(randomUUID());
  /** Next changelog offset to read. */
  #position = 0n;

  readonly #health: KafkaHealth | undefined;
  /** Where dead letters go (in the transaction of the rows that move the offset past them). */
  readonly #deadLetterTopic: string;
  /** Created on the first dead letter. */
  #deadLetterTopicReady: Promise<void> | undefined;

  /**
   * `health` hears of every write's outcome (a broker gone away fails the next commit's write).
   * `group` names the transactional ids.
   */
  constructor(connection: KafkaConnection, topics: { changelog: string; deadLetters: string }, group: string, log: Logger, health?: KafkaHealth) {
    const topic = topics.changelog;
    this.#deadLetterTopic = topics.deadLetters;
    this.#health = health;
    this.#group = group;
    const kafka = new Kafka({
      ...toKafkaJsConfig(connection),
      clientId: `${connection.clientId}-state`,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        log.warn({ kafkajs: entry.namespace, ...rest }, message);
      },
    });
    this.#topic = topic;
    this.#kafka = kafka;
    this.#admin = kafka.admin();
    // A group of its own per process: every member reads every record; nothing is committed.
    // kafkajs reads committed records only (isolation read_committed, its default): an aborted
    // write of a fenced member is skipped.
    // Fetch sizes bound the reader's buffers (the largest record batch still fits one fetch).
    // Waits at most 500 ms for new rows (a long poll: rows that arrive end it at once; this reader is
    // never paused, so the wait that made the source shorten its own never holds it up).
    this.#consumer = kafka.consumer({ groupId: `hangarstack-state-reader-${randomUUID()}`, maxBytesPerPartition: MAX_MESSAGE_BYTES, maxBytes: MAX_MESSAGE_BYTES, maxWaitTimeInMs: 500 });
  }

  /**
   * Creates the topic when missing and starts reading it from `from` (the cached position), handing
   * each fetched batch's rows and the position they reach to `onRows`, with the source partitions
   * some of whose rows another process wrote (`strangers`).
   */
  async start(from: string | undefined, onRows: (rows: StateRow[], position: Record<string, string>, strangers: ReadonlySet<string>) => void): Promise<void> {
    await this.#admin.connect();
    if (!(await this.#admin.listTopics()).includes(this.#topic)) {
      await this.#admin
        .createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: this.#topic,
              numPartitions: 1,
              configEntries: [
                { name: 'cleanup.policy', value: 'compact' },
                { name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) },
                // Roll segments hourly, or every 16 MiB (the least a segment may be: one record
                // batch fits), so superseded rows are compacted away within hours, or within
                // minutes while rows stream in: a restore reads what is left.
                { name: 'segment.ms', value: '3600000' },
                { name: 'segment.bytes', value: String(MAX_MESSAGE_BYTES) },
                { name: 'min.cleanable.dirty.ratio', value: '0.1' },
              ],
            },
          ],
        })
        .catch((error: unknown) => {
          // Another member created it first.
          if (!/already exists/i.test((error as Error).message)) throw error;
        });
    }
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.#topic, fromBeginning: true });
    this.#position = from === undefined ? 0n : BigInt(from);
    await this.#consumer.run({
      eachBatch: async ({ batch }) => {
        // Written to partition 0 only (one write order), whatever a cluster created.
        if (batch.partition !== 0) return;
        const rows: StateRow[] = [];
        const strangers = new Set<string>();
        for (const m of batch.messages) {
          const writer = m.headers?.[WRITER_HEADER];
          if (writer instanceof Buffer && writer.equals(this.#writer)) continue;
          const key = m.key ? parseRowKey(m.key.toString('utf8')) : null;
          if (key) strangers.add(key.partition);
        }
        // Only the latest version of each row in the batch (what compaction leaves of them): each
        // commit rewrites its open hours' rows and the newest segment is never compacted, so a
        // restore read every version of them, each decoded and stored only to be replaced.
        for (const m of latestByKey(batch.messages, (message) => message.key?.toString('utf8') ?? null)) {
          const key = parseRowKey((m.key as Buffer).toString('utf8'));
          if (!key) continue;
          // A view of the fetched bytes, not a copy: loading a row decodes it and the store copies it,
          // and most rows (a member's own, read back) are dropped unread.
          rows.push({ ...key, value: m.value ? new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength) : null });
        }
        if (batch.messages.length === 0) return;
        // Past the batch's last offset, commit markers included (a transaction ends in one).
        this.#position = BigInt(batch.lastOffset()) + 1n;
        onRows(rows, { [CHANGELOG_POSITION]: this.#position.toString() }, strangers);
      },
    });
    // A fetch of nothing but commit markers (or aborted rows) never reaches eachBatch; its end
    // still counts as read, or `caughtUp` would wait for a marker forever.
    this.#consumer.on(this.#consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.partition !== 0 || payload.batchSize > 0) return;
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > this.#position) this.#position = next;
    });
    if (from !== undefined) this.#consumer.seek({ topic: this.#topic, partition: 0, offset: from });
  }

  /**
   * Resolves once everything committed to the changelog before this call has been read (a
   * transaction still open is not waited for: its rows are read when it commits).
   */
  async caughtUp(timeoutMs = 120_000): Promise<void> {
    // kafkajs lists the last stable offset (read_committed): the first offset of the oldest open
    // transaction, which a member killed mid-write leaves until the partition's next owner claims
    // it. Waiting for the end offset instead would wait for that claim (or the transaction timeout).
    const end = (await this.#admin.fetchTopicOffsets(this.#topic)).find((o) => o.partition === 0);
    const high = BigInt(end?.high ?? '0');
    const deadline = Date.now() + timeoutMs;
    while (this.#position < high) {
      if (Date.now() > deadline) throw new Error(`the state changelog ${this.#topic} was not read up to ${high} within ${timeoutMs} ms (at ${this.#position})`);
      await sleep(20);
    }
  }

  /**
   * Takes over the transactional ids of these source partitions (after a group join, before the
   * changelog is read to its end): each gets a fresh producer whose InitProducerId fences every
   * earlier one. This process's own earlier producers are closed and claimed again too: while it
   * was cut off, another member may have claimed a partition and handed it back, and its old
   * producer would then only be refused.
   */
  claim(keys: readonly string[]): Promise<void> {
    const claimed = this.#claiming.then(async () => {
      const fresh = await Promise.all(
        keys.map(async (key) => {
          const producer = this.#kafka.producer({ transactionalId: `${this.#group}/${key}`, idempotent: true, maxInFlightRequests: 1, transactionTimeout: TRANSACTION_TIMEOUT_MS, retry: SEND_RETRY });
          await producer.connect();
          // Beginning a transaction initialises the producer id (the fencing); nothing is sent in it.
          await (await producer.transaction()).abort();
          return [key, producer] as const;
        }),
      );
      // The old producers are closed only now: a write still under way on one is refused as
      // fenced (and handled so), not cut off as if the broker had gone away.
      const previous = [...this.#producers.values()];
      this.#producers.clear();
      for (const [key, producer] of fresh) this.#producers.set(key, { producer, fenced: false });
      await Promise.all(previous.map(({ producer }) => producer.disconnect().catch(() => undefined)));
    });
    this.#claiming = claimed.catch(() => undefined);
    return claimed;
  }

  /**
   * Writes one source partition's rows in one transaction of that partition's producer, with the
   * dead letters whose offsets they move past: a read_committed reader sees both or neither.
   */
  async send(rows: readonly StateRow[], deadLetters?: DeadLetters): Promise<void> {
    const partition = rows[0]?.partition;
    if (partition === undefined) return;
    const stray = rows.find((r) => r.partition !== partition) ?? (deadLetters && deadLetters.source.key !== partition ? { partition: deadLetters.source.key } : undefined);
    if (stray) throw new Error(`one changelog write holds rows of one source partition (${partition}), not also of ${stray.partition}`);
    const claimed = this.#producers.get(partition);
    if (!claimed || claimed.fenced) throw new ChangelogFencedError(partition, claimed ? 'its producer is fenced or its last transaction did not end; it waits to be claimed again' : 'this member has not claimed it');
    if (deadLetters) {
      this.#deadLetterTopicReady ??= ensureDeadLetterTopic(this.#admin, this.#deadLetterTopic).catch((error: unknown) => {
        this.#deadLetterTopicReady = undefined;
        throw error;
      });
      await this.#deadLetterTopicReady;
    }
    const transaction = await claimed.producer.transaction();
    let committing = false;
    try {
      if (deadLetters) await transaction.send({ topic: this.#deadLetterTopic, acks: -1, messages: deadLetterMessages(deadLetters) });
      await transaction.send({
        topic: this.#topic,
        acks: -1,
        messages: rows.map((r) => ({ partition: 0, key: rowKey(r), value: r.value ? Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) : null, headers: { [WRITER_HEADER]: this.#writer } })),
      });
      committing = true;
      await transaction.commit();
    } catch (error) {
      if (isFenced(error)) {
        claimed.fenced = true;
        void claimed.producer.disconnect().catch(() => undefined);
        throw new ChangelogFencedError(partition, (error as Error).message);
      }
      this.#health?.lost(error);
      // A transaction whose end failed leaves kafkajs's producer unable to begin another; a new
      // producer would fence whoever owns the partition now, so only the next claim (after the
      // group rejoins, as it does after an outage) makes one. Until then its writes are refused.
      const ended = !committing && (await transaction.abort().then(() => true, () => false));
      if (!ended) claimed.fenced = true;
      throw error;
    }
    this.#health?.ok();
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await this.#claiming;
    await Promise.all([...this.#producers.values()].map(({ producer }) => producer.disconnect()));
    this.#producers.clear();
    await this.#admin.disconnect();
  }
}

/** Whether kafkajs says a newer producer with the same transactional id exists (the error may be wrapped). */
function isFenced(error: unknown): boolean {
  for (let e = error as { type?: string; code?: number; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    // INVALID_PRODUCER_EPOCH (47) is what brokers answer kafkajs's request versions; PRODUCER_FENCED (90) newer ones.
    if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED' || e.code === 47 || e.code === 90) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}
