/**
 * What the consumer-side bench parts share: producing a generated stream straight into a fresh
 * topic, and weighing the state a consumer left on disk.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** Bytes of records per produce request: half the broker's default max.message.bytes (1 MiB). */
const MAX_SEND_BYTES = 512 * 1024;
/** A record's framing in a v2 record batch (length, attributes, deltas, key and value lengths, headers) at most. */
const RECORD_OVERHEAD = 32;

/** Creates `topic` (3 partitions) and produces every message of `messages` to it, acks=all. */
export async function produceStream(brokers: string, clientId: string, topic: string, messages: Iterable<{ key: string; value: string }>): Promise<void> {
  const kafka = new Kafka({ clientId, brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  let batch: { key: string; value: string }[] = [];
  let bytes = 0;
  const inFlight: Promise<unknown>[] = [];
  for (const message of messages) {
    batch.push(message);
    bytes += message.key.length + message.value.length + RECORD_OVERHEAD;
    // Sends are cut by bytes, not records: all of one send may land in one partition (the most
    // viewed aircraft's), whose record batch must stay under the broker's 1 MiB message limit.
    if (bytes < MAX_SEND_BYTES) continue;
    inFlight.push(producer.send({ topic, acks: -1, messages: batch }));
    batch = [];
    bytes = 0;
    // A few sends in flight keep the broker busy without holding the whole stream in memory.
    if (inFlight.length >= 4) await Promise.all(inFlight.splice(0));
  }
  if (batch.length > 0) inFlight.push(producer.send({ topic, acks: -1, messages: batch }));
  await Promise.all(inFlight);
  await producer.disconnect();
}

/** Total size of the files under `dir`. */
export function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}
