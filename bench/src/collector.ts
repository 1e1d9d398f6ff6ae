/**
 * Collector throughput: requests/s and p50/p99 latency for 1-event and 10-event beacons, every
 * event acknowledged by Kafka (acks=all), against a bare node:http server that answers 204 with
 * no work, all driven by autocannon in the same run. Afterwards the events counted in Kafka must
 * equal the events acknowledged. Runnable alone: `node bench/src/collector.ts [--quick] [--json PATH]` (`--json` also writes the rows
 * as JSON to PATH).
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { startKafka } from '@hangarstack/deploy/kafka';
import { catalogueSlugs } from './beacons.ts';
import { renderTable, type BenchRow } from './table.ts';
import { startCollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { BROWSER_UA as UA } from '@hangarstack/testing/user-agents';

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
}

/**
 * Drives `url` with autocannon for a fixed number of requests (so every request is answered
 * and counted: nothing is left in flight when the run ends); `body` is built per request.
 */
async function drive(url: string, amount: number, body: () => string): Promise<Measured> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
    amount: Math.max(100, Math.round(amount)),
    headers: { 'content-type': 'text/plain', 'user-agent': UA },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

/** A bare node:http server in this process (the collector is the child), answering 204 once the body is read. */
async function startBareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/v1/events`, close: () => new Promise((done) => server.close(() => done())) };
}

async function countRecords(brokers: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'bench-count', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Runs the collector benchmark against `brokers` (the team's `pnpm bench` calls this) and returns
 * the rows: bare node:http, 1-event and 10-event beacons, Kafka read-back vs acknowledged, RSS.
 */
export async function run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]> {
  const seconds = options.quick ? 5 : 20;
  const runId = `bench${Date.now().toString(36)}`;
  const topic = `bench.collector.views.${runId}`;
  const slugs = catalogueSlugs();
  let n = 0;
  const event = () => {
    const i = n++;
    return `{"type":"view","id":"${runId}-${String(i).padStart(12, '0')}","ts":${Date.now()},"aircraft":"${slugs[i % slugs.length]}"}`;
  };
  const beacon = (size: number) => () => `{"v":1,"events":[${Array.from({ length: size }, event).join(',')}]}`;

  const bare = await startBareServer();
  const collector = await startCollectorProcess({
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_VIEWS: topic,
    KAFKA_TOPIC_SEARCHES: `${topic}.searches`,
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_BURST: '100000000',
    SPOOL_DIR: `/tmp/${runId}/spool`,
    SALT_DIR: `/tmp/${runId}/salts`,
  });
  try {
    // Warm-up (connections, JIT, the producer's first metadata round trip) also sizes the runs.
    const warm = await drive(`${collector.url}/v1/events`, 2_000, beacon(1));
    const baseline = await drive(bare.url, warm.requestsPerSecond * seconds * 2, beacon(1));
    const single = await drive(`${collector.url}/v1/events`, warm.requestsPerSecond * seconds, beacon(1));
    const batched = await drive(`${collector.url}/v1/events`, (warm.requestsPerSecond * seconds) / 2, beacon(10));
    const rss = await collector.peakRssKb();
    await collector.stop();
    const acknowledged = warm.ok + single.ok + batched.ok * 10;
    const inKafka = await countRecords(options.brokers, topic);
    const singleEvents = single.requestsPerSecond;
    const batchedEvents = batched.requestsPerSecond * 10;
    return [
      { section: 'collector', measure: 'bare node:http requests/s', value: baseline.requestsPerSecond, unit: 'req/s', note: `p50 ${baseline.p50} ms, p99 ${baseline.p99} ms` },
      {
        section: 'collector',
        measure: '1-event beacon requests/s (acks=all)',
        value: single.requestsPerSecond,
        unit: 'req/s',
        baseline: { name: 'bare node:http 204', value: baseline.requestsPerSecond },
        ratio: single.requestsPerSecond / baseline.requestsPerSecond,
        target: '≥ 0.6× bare',
        ok: single.requestsPerSecond / baseline.requestsPerSecond >= 0.6,
        note: `p50 ${single.p50} ms, p99 ${single.p99} ms, non-2xx ${single.other}`,
      },
      {
        section: 'collector',
        measure: '10-event beacon events/s (acks=all)',
        value: batchedEvents,
        unit: 'events/s',
        baseline: { name: '1-event events/s', value: singleEvents },
        ratio: batchedEvents / singleEvents,
        target: '≥ 3× single',
        ok: batchedEvents / singleEvents >= 3,
        note: `${batched.requestsPerSecond.toFixed(0)} req/s, p50 ${batched.p50} ms, p99 ${batched.p99} ms, non-2xx ${batched.other}`,
      },
      {
        section: 'collector',
        measure: 'events in Kafka − events acknowledged',
        value: inKafka - acknowledged,
        unit: 'events',
        target: '= 0',
        ok: inKafka === acknowledged,
        note: `${inKafka} read back from ${topic}`,
      },
      { section: 'collector', measure: 'collector peak RSS', value: Math.round(rss / 1024), unit: 'MiB' },
    ];
  } finally {
    await bare.close();
    if (collector.alive()) await collector.stop();
  }
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const broker = process.env.KAFKA_BROKERS ? null : await startKafka({ port: 0 });
  try {
    const rows = await run({ brokers: process.env.KAFKA_BROKERS ?? broker?.brokers ?? '', quick });
    console.log(renderTable(rows));
    const jsonAt = process.argv.indexOf('--json');
    const jsonPath = jsonAt === -1 ? undefined : process.argv[jsonAt + 1];
    if (jsonAt !== -1 && !jsonPath) throw new Error('--json needs a file path: --json PATH');
    if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(rows, null, 2)}\n`);
  } finally {
    await broker?.close();
  }
}
