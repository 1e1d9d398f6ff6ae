/**
 * Producer client comparison: kafkajs (what the collector uses) against @platformatic/kafka,
 * producing the same records, idempotent with acks=all, to the same broker in the same run.
 * Each client sends batches one after another (as the collector's micro-batcher does) in eight
 * interleaved rounds, so neither profits from a warmer broker or a quieter moment on a shared box.
 */
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { percentile, perSecond, ratio } from './stats.ts';
import type { BenchRow } from './table.ts';

interface Message {
  key: string;
  value: string;
}

/** A client under test: sends one batch and resolves when the broker acknowledged it. */
interface Client {
  name: string;
  send(topic: string, messages: Message[]): Promise<void>;
  close(): Promise<void>;
}

function records(count: number): Message[] {
  const receivedAt = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const aircraft = `aircraft-${i % 300}`;
    const value = { schema: 1, type: 'view', id: `producer-bench-${String(i).padStart(10, '0')}`, clientTs: receivedAt, receivedAt, visitor: 'ab'.repeat(16), device: 'desktop', aircraft };
    return { key: aircraft, value: JSON.stringify(value) };
  });
}

async function kafkajsClient(brokers: string): Promise<Client> {
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false });
  await producer.connect();
  return {
    name: 'kafkajs',
    send: async (topic, messages) => {
      await producer.send({ topic, messages, acks: -1 });
    },
    close: () => producer.disconnect(),
  };
}

async function platformaticClient(brokers: string): Promise<Client> {
  const producer = new Producer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: brokers.split(','),
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    serializers: stringSerializers,
  });
  return {
    name: '@platformatic/kafka',
    send: async (topic, messages) => {
      await producer.send({ messages: messages.map((m) => ({ topic, key: m.key, value: m.value })) });
    },
    close: () => producer.close(),
  };
}

async function createTopics(brokers: string, topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}

/** Produces `total` records in batches of `batchSize` with each client; rows with records/s and p99 per batch. */
export async function producerComparison(brokers: string, total: number, batchSize = 100): Promise<BenchRow[]> {
  const run = Date.now().toString(36);
  const clients = [await kafkajsClient(brokers), await platformaticClient(brokers)];
  const topicOf = (c: Client) => `bench.producer.${run}.${c.name.replace(/[^a-z]/g, '')}`;
  await createTopics(brokers, clients.map(topicOf));
  const all = records(total);
  const batches: Message[][] = [];
  for (let i = 0; i < all.length; i += batchSize) batches.push(all.slice(i, i + batchSize));
  const stats = new Map<string, { ms: number; latencies: number[] }>(clients.map((c) => [c.name, { ms: 0, latencies: [] }]));
  try {
    for (const c of clients) await c.send(topicOf(c), all.slice(0, batchSize)); // connect and warm up
    const rounds = 8;
    const perRound = Math.ceil(batches.length / rounds);
    for (let r = 0; r < rounds; r++) {
      const round = batches.slice(r * perRound, (r + 1) * perRound);
      // Alternate who goes first, so neither client always follows the other's flush.
      for (const c of r % 2 === 0 ? clients : [...clients].reverse()) {
        const s = stats.get(c.name) as { ms: number; latencies: number[] };
        const start = performance.now();
        for (const batch of round) {
          const t = performance.now();
          await c.send(topicOf(c), batch);
          s.latencies.push(performance.now() - t);
        }
        s.ms += performance.now() - start;
      }
    }
  } finally {
    for (const c of clients) await c.close();
  }
  const base = stats.get('kafkajs') as { ms: number; latencies: number[] };
  const baseRate = perSecond(total, base.ms);
  const baseP99 = percentile(base.latencies, 99);
  return clients.flatMap((c): BenchRow[] => {
    const s = stats.get(c.name) as { ms: number; latencies: number[] };
    const rate = perSecond(total, s.ms);
    const p99 = percentile(s.latencies, 99);
    const isBase = c.name === 'kafkajs';
    return [
      { section: 'producer', measure: `${c.name} records/s (batches of ${batchSize})`, value: rate, unit: 'rec/s', ...(isBase ? {} : { baseline: { name: 'kafkajs', value: baseRate }, ratio: ratio(rate, baseRate) }) },
      { section: 'producer', measure: `${c.name} p99 per batch`, value: p99, unit: 'ms', ...(isBase ? {} : { baseline: { name: 'kafkajs', value: baseP99 }, ratio: ratio(p99, baseP99) }) },
    ];
  });
}
