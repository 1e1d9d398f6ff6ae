/**
 * Consumer throughput and freshness against the real broker:
 * - events/s aggregated into popularity (state saved with offsets, snapshot published), against a
 *   bare kafkajs consumer that only reads the same records (same run, same broker);
 * - beacon → popularity JSON latency p50/p95: a beacon posted to the collector until the published
 *   JSON counts it, with the consumer's default publish interval.
 * Runnable alone: `node bench/src/consumer.ts [--quick]`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import type { EventRecord } from '@hangarstack/shared';
import { startKafka } from '@hangarstack/deploy/kafka';
import { catalogueSlugs } from './beacons.ts';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { percentile } from './stats.ts';
import { renderTable, type BenchRow } from './table.ts';
import { startCollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { startConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { BROWSER_UA as UA } from '@hangarstack/testing/user-agents';

async function produce(brokers: string, topic: string, count: number, slugs: readonly string[], runId: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-consumer', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const now = Date.now();
  for (let i = 0; i < count; i += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, count - i) }, (_, j) => {
      const n = i + j;
      const aircraft = slugs[n % slugs.length] ?? 'concorde';
      const visitor = (n % 5_000).toString(16).padStart(32, '0');
      const record: EventRecord = { schema: 2, id: `${runId}-${String(n).padStart(12, '0')}`, type: 'view', aircraft, clientTs: now, receivedAt: now - (n % 3_600) * 1_000, visitor, origin: visitor, device: 'desktop' };
      return { key: aircraft, value: JSON.stringify(record) };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** Baseline: a kafkajs consumer group member that reads every record and does nothing else. */
async function bareRead(brokers: string, topic: string, count: number): Promise<number> {
  const consumer = new Kafka({ clientId: 'bench-bare', brokers: [brokers], logLevel: logLevel.NOTHING }).consumer({ groupId: `bench-bare-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const started = performance.now();
  let finished = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= count && finished === 0) finished = performance.now();
    },
  });
  while (finished === 0) await sleep(50);
  await consumer.disconnect();
  return (count / (finished - started)) * 1000;
}

async function waitForApplied(file: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = readPopularityFile(file);
    const applied = p ? Object.values(p.source.offsets).reduce((sum, o) => sum + Number(o), 0) : 0;
    if (applied >= count) return;
    if (Date.now() > deadline) throw new Error(`the consumer applied ${applied} of ${count} records within ${timeoutMs} ms`);
    await sleep(25);
  }
}

export async function run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]> {
  const count = options.quick ? 20_000 : 200_000;
  const runId = `benchc${Date.now().toString(36)}`;
  const topic = `bench.consumer.views.${runId}`;
  const slugs = catalogueSlugs();
  const dir = mkdtempSync(join(tmpdir(), 'bench-consumer-'));
  await produce(options.brokers, topic, count, slugs, runId);

  const bare = await bareRead(options.brokers, topic, count);

  const popularityFile = join(dir, 'popularity.json');
  const started = performance.now();
  // PUBLISH_INTERVAL_MS as the service defaults it (the starter's own is faster, for tests).
  const consumer = await startConsumerProcess({
    KAFKA_BROKERS: options.brokers, KAFKA_TOPIC_VIEWS: topic, KAFKA_TOPIC_SEARCHES: `${topic}.searches`, CONSUMER_GROUP: runId, POPULARITY_FILE: popularityFile, CONSUMER_STATE_DIR: join(dir, 'state'), PUBLISH_INTERVAL_MS: '1000',
  });
  let aggregated: number;
  let rss: number;
  try {
    await waitForApplied(popularityFile, count, 600_000);
    aggregated = (count / (performance.now() - started)) * 1000;
    rss = await consumer.peakRssKb();
  } finally {
    await consumer.stop();
  }

  // Freshness: beacon → collector → Kafka → consumer → published JSON, on a fresh topic pair.
  const latencies = await beaconToJson(options.brokers, dir, options.quick ? 10 : 30, slugs);
  return [
    { section: 'consumer', measure: 'bare kafkajs read events/s', value: bare, unit: 'events/s', note: `${count} records, 3 partitions` },
    {
      section: 'consumer',
      measure: 'events/s aggregated into popularity',
      value: aggregated,
      unit: 'events/s',
      baseline: { name: 'bare kafkajs read', value: bare },
      ratio: aggregated / bare,
      note: `start-up included; state saved with offsets per batch; peak RSS ${Math.round(rss / 1024)} MiB`,
    },
    { section: 'consumer', measure: 'beacon → popularity JSON p50', value: percentile(latencies, 50), unit: 'ms', note: `${latencies.length} beacons; publish interval 1 s (default)` },
    { section: 'consumer', measure: 'beacon → popularity JSON p95', value: percentile(latencies, 95), unit: 'ms' },
  ];
}

async function beaconToJson(brokers: string, dir: string, samples: number, slugs: readonly string[]): Promise<number[]> {
  const runId = `benchl${Date.now().toString(36)}`;
  const topics = { KAFKA_TOPIC_VIEWS: `bench.latency.views.${runId}`, KAFKA_TOPIC_SEARCHES: `bench.latency.searches.${runId}` };
  const popularityFile = join(dir, 'latency-popularity.json');
  const collector = await startCollectorProcess({ KAFKA_BROKERS: brokers, ...topics, SPOOL_DIR: join(dir, 'spool'), SALT_DIR: join(dir, 'salts'), RATE_LIMIT_PER_MINUTE: '1000000' });
  // The service's default publish interval: the latency a deployment sees.
  const consumer = await startConsumerProcess({ KAFKA_BROKERS: brokers, ...topics, CONSUMER_GROUP: runId, POPULARITY_FILE: popularityFile, CONSUMER_STATE_DIR: join(dir, 'latency-state'), PUBLISH_INTERVAL_MS: '1000' });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const slug = slugs[i % slugs.length] ?? 'concorde';
      const before = readPopularityFile(popularityFile)?.aircraft[slug]?.views.h24 ?? 0;
      const sent = performance.now();
      const res = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': UA },
        body: JSON.stringify({ v: 1, events: [{ type: 'view', id: `${runId}-${String(i).padStart(10, '0')}`, ts: Date.now(), aircraft: slug }] }),
      });
      if (res.status !== 202) throw new Error(`the collector answered ${res.status}`);
      for (;;) {
        if ((readPopularityFile(popularityFile)?.aircraft[slug]?.views.h24 ?? 0) > before) break;
        if (performance.now() - sent > 30_000) throw new Error('a beacon did not reach the popularity JSON within 30 s');
        await sleep(10);
      }
      latencies.push(performance.now() - sent);
      await sleep(Math.random() * 300);
    }
  } finally {
    await collector.stop();
    await consumer.stop();
  }
  return latencies;
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const broker = process.env.KAFKA_BROKERS ? null : await startKafka({ port: 0 });
  try {
    console.log(renderTable(await run({ brokers: process.env.KAFKA_BROKERS ?? broker?.brokers ?? '', quick })));
  } finally {
    await broker?.close();
  }
}
