/**
 * Consumer throughput, state size, memory, restore and accuracy against the real broker:
 * - `count` view records (10 M, 1 M with --quick) from 200,000 visitors over 30 days of event time
 *   are produced straight into Kafka (3 partitions), then read by a bare kafkajs consumer
 *   (baseline), a bare @platformatic/kafka consumer (the other client's rate, as a ratio to
 *   kafkajs) and by the popularity consumer (events/s, state bytes on disk, peak RSS);
 * - the published distinct-visitor counts of the most viewed aircraft against exact counts;
 * - restore: the consumer is SIGKILLed and a new member with an empty state dir (no shared disk)
 *   takes over every partition; seconds until its snapshot is complete, and whether it is identical;
 * - beacon → popularity JSON latency p50/p95 with the default publish interval.
 * Runnable alone: `node bench/src/consumer.ts [--quick]`.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Consumer as PlatformaticConsumer, stringDeserializers } from '@platformatic/kafka';
import type { Popularity } from '@hangarstack/shared';
import { startKafka } from '@hangarstack/deploy/kafka';
import { catalogueSlugs } from './beacons.ts';
import { PublishedSnapshot, waitForApplied } from './published-snapshot.ts';
import { percentile } from './stats.ts';
import { renderTable, type BenchRow } from './table.ts';
import { withTempDir } from './temp-dir.ts';
import { viewStream } from './view-stream.ts';
import { bytesUnder, produceStream } from './kafka-fill.ts';
import { startCollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { startConsumerProcess, type ConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { BROWSER_UA as UA } from '@hangarstack/testing/user-agents';

const MiB = 1024 * 1024;
const VISITORS = 200_000;
/** Aircraft whose visitor estimates are checked against exact counts (the most viewed). */
const CHECKED = 8;

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

/**
 * The same read with @platformatic/kafka (the collector's producer client): a group member that
 * turns every value into a string (what the popularity consumer needs) and does nothing else.
 * Fetches ask for at most 1 MiB per partition, kafkajs's default: the library's default is its
 * whole 50 MB `maxBytes` per partition, which read this stream at about half kafkajs's rate.
 */
async function bareReadPlatformatic(brokers: string, topic: string, count: number): Promise<number> {
  const started = performance.now();
  const consumer = new PlatformaticConsumer({
    clientId: 'bench-bare-platformatic',
    bootstrapBrokers: [brokers],
    groupId: `bench-bare-platformatic-${Date.now()}`,
    deserializers: stringDeserializers,
    maxBytesPerPartition: 1024 * 1024,
  });
  let finished = 0;
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
    let seen = 0;
    let chars = 0;
    await new Promise<void>((done, fail) => {
      stream.on('error', fail);
      stream.on('data', (message) => {
        chars += message.value.length;
        if (++seen === count) {
          finished = performance.now();
          done();
        }
      });
    });
    await stream.close();
    if (chars === 0) throw new Error('the @platformatic/kafka bare read saw only empty values');
  } finally {
    await consumer.close(true);
  }
  return (count / (finished - started)) * 1000;
}

/** Keys whose values differ between two snapshots (generatedAt aside). */
function differences(a: Popularity, b: Popularity): number {
  const x = { ...a, generatedAt: '' } as Record<string, unknown>;
  const y = { ...b, generatedAt: '' } as Record<string, unknown>;
  let n = 0;
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) n++;
  return n;
}

export async function run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]> {
  const count = options.quick ? 1_000_000 : 10_000_000;
  const runId = `benchc${Date.now().toString(36)}`;
  const topic = `bench.consumer.views.${runId}`;
  const slugs = catalogueSlugs();
  return withTempDir('bench-consumer-', async (dir) => {
    const stream = viewStream({ count, visitors: VISITORS, slugs, runId, end: Date.now() - 60_000 });
    await produceStream(
      options.brokers,
      'bench-consumer',
      topic,
      (function* () {
        for (const record of stream.records()) yield { key: record.type === 'view' ? record.aircraft : '', value: JSON.stringify(record) };
      })(),
    );

    const bare = await bareRead(options.brokers, topic, count);
    const barePlatformatic = await bareReadPlatformatic(options.brokers, topic, count);

    // PUBLISH_INTERVAL_MS as the service defaults it (the starter's own is faster, for tests).
    const env = (name: string) => ({
      KAFKA_BROKERS: options.brokers,
      KAFKA_TOPIC_VIEWS: topic,
      KAFKA_TOPIC_SEARCHES: `${topic}.searches`,
      KAFKA_TOPIC_ACTIVITY: `${topic}.activity`,
      CONSUMER_GROUP: runId,
      POPULARITY_FILE: join(dir, name, 'popularity.json'),
      CONSUMER_STATE_DIR: join(dir, name, 'state'),
      PUBLISH_INTERVAL_MS: '1000',
    });
    const started = performance.now();
    let consumer: ConsumerProcess = await startConsumerProcess(env('first'));
    let aggregated: number;
    let rssBytes: number;
    let stateBytes: number;
    let first: Popularity;
    let everyPartition: string[];
    try {
      first = await waitForApplied(join(dir, 'first', 'popularity.json'), count, 3_600_000);
      aggregated = (count / (performance.now() - started)) * 1000;
      rssBytes = (await consumer.peakRssKb()) * 1024;
      stateBytes = bytesUnder(join(dir, 'first', 'state'));
      everyPartition = await ownedPartitions(consumer.url);
    } finally {
      await consumer.kill();
    }

    // A new member with nothing on its disk takes over every partition of the killed one.
    const restoreStarted = performance.now();
    consumer = await startConsumerProcess(env('second'));
    let restoreS: number;
    let takeoverS: number;
    let restored: Popularity;
    try {
      restored = await waitForApplied(join(dir, 'second', 'popularity.json'), count, 3_600_000);
      restoreS = (performance.now() - restoreStarted) / 1000;
      // The snapshot can be complete before the join when the killed member had stored everything
      // (the new member publishes what it read from the changelog): owning the partitions waits for
      // the killed member's session either way.
      while ((await ownedPartitions(consumer.url)).length < everyPartition.length) await sleep(25);
      takeoverS = (performance.now() - restoreStarted) / 1000;
    } finally {
      await consumer.stop();
    }

    const exact = stream.exact(CHECKED);
    let worst = 0;
    let worstNote = '';
    for (const [slug, truth] of exact) {
      const got = first.aircraft[slug]?.visitors;
      for (const window of ['d30', 'h24'] as const) {
        if (truth[window] === 0) continue;
        const error = Math.abs((got?.[window] ?? 0) - truth[window]) / truth[window];
        if (error >= worst) {
          worst = error;
          worstNote = `${slug} ${window}: ${got?.[window] ?? 0} vs exact ${truth[window]}`;
        }
      }
    }

    // Freshness: beacon → collector → Kafka → consumer → published JSON, on a fresh topic pair.
    const latencies = await beaconToJson(options.brokers, dir, options.quick ? 10 : 30, slugs);
    const size = `${count.toLocaleString('en-US')} views, ${VISITORS.toLocaleString('en-US')} visitors, 30 days of event time, 3 partitions`;
    return [
      { id: 'consumer.bare_read_events_per_s', section: 'consumer', measure: 'bare kafkajs read events/s', value: bare, unit: 'events/s', note: size },
      {
        id: 'consumer.bare_read_platformatic_events_per_s',
        section: 'consumer',
        measure: 'bare @platformatic/kafka read events/s',
        value: barePlatformatic,
        unit: 'events/s',
        baseline: { name: 'bare kafkajs read', value: bare },
        ratio: barePlatformatic / bare,
        note: 'the same records and group join; values as strings; 1 MiB per partition per fetch (kafkajs default)',
      },
      {
        id: 'consumer.events_per_s',
        section: 'consumer',
        measure: 'events/s aggregated into popularity',
        value: aggregated,
        unit: 'events/s',
        baseline: { name: 'bare kafkajs read', value: bare },
        ratio: aggregated / bare,
        target: '≥ 50,000 and ≥ 0.8× bare',
        ok: aggregated >= 50_000 && aggregated / bare >= 0.8,
        note: 'start-up and group join included, as for the bare read',
      },
      { id: 'consumer.state_bytes', section: 'consumer', measure: 'state on disk after the stream', value: stateBytes, unit: 'bytes', target: '≤ 64 MiB', ok: stateBytes <= 64 * MiB, note: `${(stateBytes / MiB).toFixed(1)} MiB` },
      { id: 'consumer.peak_rss_bytes', section: 'consumer', measure: 'consumer peak RSS', value: rssBytes, unit: 'bytes', target: '≤ 256 MiB', ok: rssBytes <= 256 * MiB, note: `${(rssBytes / MiB).toFixed(0)} MiB` },
      {
        id: 'consumer.restore_s',
        section: 'consumer',
        measure: 'new member (empty disk) takes over after SIGKILL, until its snapshot is complete',
        value: restoreS,
        unit: 's',
        target: '≤ 10 s',
        ok: restoreS <= 10,
        note: 'includes start-up and the group rebalance',
      },
      {
        id: 'consumer.takeover_s',
        section: 'consumer',
        measure: 'the same new member, until it also owns every partition',
        value: takeoverS,
        unit: 's',
        target: '≤ 10 s',
        ok: takeoverS <= 10,
        note: `${everyPartition.length} partitions; waits out the killed member's group session whether or not it had stored everything`,
      },
      { id: 'consumer.restore_differences', section: 'consumer', measure: 'snapshot keys differing from the uninterrupted run', value: differences(first, restored), unit: '', target: '= 0', ok: differences(first, restored) === 0 },
      { id: 'consumer.distinct_error', section: 'consumer', measure: 'worst relative error of distinct visitors (d30, h24)', value: worst, unit: '', target: '≤ 0.02', ok: worst <= 0.02, note: `${CHECKED} most viewed aircraft; worst ${worstNote}` },
      { id: 'consumer.beacon_to_json_p50_ms', section: 'consumer', measure: 'beacon → popularity JSON p50', value: percentile(latencies, 50), unit: 'ms', note: `${latencies.length} beacons; publish interval 1 s (default)` },
      { id: 'consumer.beacon_to_json_p95_ms', section: 'consumer', measure: 'beacon → popularity JSON p95', value: percentile(latencies, 95), unit: 'ms' },
    ];
  });
}

async function beaconToJson(brokers: string, dir: string, samples: number, slugs: readonly string[]): Promise<number[]> {
  const runId = `benchl${Date.now().toString(36)}`;
  const topics = { KAFKA_TOPIC_VIEWS: `bench.latency.views.${runId}`, KAFKA_TOPIC_SEARCHES: `bench.latency.searches.${runId}`, KAFKA_TOPIC_ACTIVITY: `bench.latency.activity.${runId}` };
  const popularityFile = join(dir, 'latency-popularity.json');
  const collector = await startCollectorProcess({ KAFKA_BROKERS: brokers, ...topics, SPOOL_DIR: join(dir, 'spool'), SALT_DIR: join(dir, 'salts'), RATE_LIMIT_PER_MINUTE: '1000000' });
  // The service's default publish interval: the latency a deployment sees.
  const consumer = await startConsumerProcess({ KAFKA_BROKERS: brokers, ...topics, CONSUMER_GROUP: runId, POPULARITY_FILE: popularityFile, CONSUMER_STATE_DIR: join(dir, 'latency-state'), PUBLISH_INTERVAL_MS: '1000' });
  const latencies: number[] = [];
  const published = new PublishedSnapshot(popularityFile);
  try {
    // Freshness of a running consumer: its /healthz answers before it has joined its group and
    // restored (seconds), and a beacon sent then measured start-up instead (p95 5.6 s, p50 0.8 s).
    await untilConsuming(consumer.url, topics.KAFKA_TOPIC_VIEWS);
    for (let i = 0; i < samples; i++) {
      const slug = slugs[i % slugs.length] ?? 'concorde';
      const before = published.latest()?.aircraft[slug]?.views.h24 ?? 0;
      const sent = performance.now();
      const res = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': UA },
        body: JSON.stringify({ v: 1, events: [{ type: 'view', id: `${runId}-${String(i).padStart(10, '0')}`, ts: Date.now(), aircraft: slug }] }),
      });
      if (res.status !== 202) throw new Error(`the collector answered ${res.status}`);
      for (;;) {
        if ((published.latest()?.aircraft[slug]?.views.h24 ?? 0) > before) break;
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

/** The partitions a consumer owns and has restored, as its /healthz says. */
async function ownedPartitions(url: string): Promise<string[]> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { partitions: string[] }).partitions;
}

/** Waits until the consumer owns (and has restored) the views topic's partitions. */
async function untilConsuming(url: string, viewsTopic: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const partitions = await ownedPartitions(url);
    if (partitions.some((p) => p.startsWith(`${viewsTopic}:`))) return;
    if (Date.now() > deadline) throw new Error(`the latency consumer owned no ${viewsTopic} partition within ${timeoutMs} ms`);
    await sleep(100);
  }
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
