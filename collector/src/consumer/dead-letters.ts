import type { Admin, Message } from 'kafkajs';
import type { EmbeddedLog } from '../transport/embedded-log.ts';
import { recordText } from '../transport/sources/types.ts';
import type { DeadLetterSink, DeadLetters } from './engine.ts';

/**
 * Kafka mode: each record of a batch that failed every attempt becomes a message of the
 * dead-letter topic with its value unchanged and headers saying where it came from and why, for an
 * operator to inspect and replay (deploy/RUNBOOK.md). They are written in the source partition's
 * changelog transaction, with the offset that moves past them (kafka-changelog.ts).
 */
export function deadLetterMessages({ source, records, reason }: DeadLetters): Message[] {
  const partition = source.key.slice(source.key.lastIndexOf(':') + 1);
  return records.map((r) => ({
    key: source.key,
    value: r.value === null || typeof r.value === 'string' ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
    headers: { reason, 'source-topic': source.topic, 'source-partition': partition, 'source-offset': r.offset },
  }));
}

/** Creates the dead-letter topic when missing (on first use: most runs never need it). */
export async function ensureDeadLetterTopic(admin: Admin, topic: string): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }).catch((error: unknown) => {
    if (!/already exists/i.test((error as Error).message)) throw error;
  });
}

/** How many of the dead-letter topic's last records a new dead letter is checked against. */
const RECENT_DEAD_LETTERS = 10_000;

/**
 * Embedded mode: the same, as records of a dead-letter topic in the embedded log. They are appended
 * before the offset past them is stored (another file): a crash in between re-reads the batch on
 * restart, and it fails again and comes back here, so a record already among the topic's recent
 * dead letters (same source partition and offset) is not appended twice.
 */
export class EmbeddedDeadLetters implements DeadLetterSink {
  readonly #log: EmbeddedLog;
  readonly #topic: string;

  constructor(log: EmbeddedLog, topic: string) {
    this.#log = log;
    this.#topic = topic;
  }

  async send({ source, records, reason }: DeadLetters): Promise<void> {
    const known = new Set<string>();
    for (const letter of this.#log.readLast(this.#topic, RECENT_DEAD_LETTERS)) {
      const { source: from, offset } = JSON.parse(letter.value) as { source: string; offset: string };
      known.add(`${from}@${offset}`);
    }
    const fresh = records.filter((r) => !known.has(`${source.key}@${r.offset}`));
    this.#log.append(fresh.map((r) => ({ topic: this.#topic, key: source.key, value: JSON.stringify({ receivedAt: Date.now(), reason, source: source.key, offset: r.offset, value: r.value === null ? null : recordText(r.value) }) })));
  }
}
