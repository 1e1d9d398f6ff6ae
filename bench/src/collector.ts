/**
 * Collector throughput, all in one run so the ratios compare like with like: a bare node:http
 * server that answers 204 with no work; the collector with single-event and 10-event beacons,
 * every event acknowledged by Kafka (acks=all, idempotent); the same with three producers
 * (`KAFKA_PRODUCERS=3`, against the default); the collector on the embedded log; and Apache Kafka's own ProducerPerformance
 * against the same broker (the ceiling). Load comes from autocannon with a fixed number of requests
 * (so every request is answered and counted). Afterwards every acknowledged event id must be in
 * Kafka. Runnable alone: `node bench/src/collector.ts [--quick] [--json PATH]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { startKafka } from '@hangarstack/deploy/kafka';
import { startCollectorProcess, type CollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { BROWSER_UA as UA } from '@hangarstack/testing/user-agents';
import { catalogueSlugs } from './beacons.ts';
import { kafkaPerf } from './kafka-perf.ts';
import { auditTopics } from './readback.ts';
import { median, ratio } from './stats.ts';
import { renderTable, type BenchRow } from './table.ts';

const SECTION = 'collector';

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
  /** CPU time (user + system) the server process spent per request, when known. */
  cpuUsPerRequest: number;
}

/** CPU time (user + system) of a process so far, in microseconds, from /proc; NaN elsewhere. */
function cpuMicros(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/** Beacons with known event ids; `acknowledged` collects the ids of every event a 2xx answered. */
interface BeaconSource {
  next(): { body: string; ids: string[] };
  acknowledged: Set<string>;
}

/**
 * Drives `url` with autocannon for a fixed number of requests; bodies come from `beacons`.
 * The rate is requests over the run's duration, sampled every 10 ms (autocannon's default 1 s
 * sampling rounds an amount run up to whole seconds, and its average is per sample).
 * Each connection has one request at a time, so a response settles the ids its request carried.
 */
async function drive(url: string, amount: number, beacons: BeaconSource, pid?: number): Promise<Measured> {
  const cpuBefore = cpuMicros(pid);
  const result = await autocannon({
    url,
    method: 'POST',
    connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
    amount: Math.max(100, Math.round(amount)),
    // An amount run ends on a sample tick: at the default 1 s tick, 2.1 s of work reads as 3 s.
    sampleInt: 10,
    headers: { 'content-type': 'text/plain', 'user-agent': UA },
    requests: [
      {
        setupRequest: (req, context: { ids?: string[] }) => {
          const { body, ids } = beacons.next();
          context.ids = ids;
          return { ...req, body };
        },
        onResponse: (status, _body, context: { ids?: string[] }) => {
          if (status >= 200 && status < 300) for (const id of context.ids ?? []) beacons.acknowledged.add(id);
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
    cpuUsPerRequest: (cpuMicros(pid) - cpuBefore) / result.requests.total,
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

const latency = (m: Measured) => `p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.other}`;

/** The per-round figures of one target, summarised by their medians (a busy moment hits one round, not the figure). */
function summarise(runs: readonly Measured[]): Measured {
  const mid = (pick: (m: Measured) => number) => median(runs.map(pick));
  return {
    requestsPerSecond: mid((m) => m.requestsPerSecond),
    p50: mid((m) => m.p50),
    p99: mid((m) => m.p99),
    ok: runs.reduce((sum, m) => sum + m.ok, 0),
    other: runs.reduce((sum, m) => sum + m.other, 0),
    cpuUsPerRequest: mid((m) => m.cpuUsPerRequest),
  };
}

/**
 * With `BENCH_COLLECTOR_BEFORE=<another checkout>/collector/src/ingest/main.ts`, that collector
 * runs as one more target in the same rounds: before/after figures from one run on one machine.
 */
function beforeRows(before: Measured, baseline: Measured, after: Measured, entry: string): BenchRow[] {
  return [
    { id: 'collector.before.single_req_per_s', section: SECTION, measure: '1-event beacon requests/s, the collector before', value: before.requestsPerSecond, unit: 'req/s', note: `${entry}; ${latency(before)}` },
    {
      id: 'collector.before.single_vs_bare',
      section: SECTION,
      measure: '1-event beacons vs bare node:http, the collector before',
      value: ratio(before.requestsPerSecond, baseline.requestsPerSecond),
      unit: '×',
      baseline: { name: 'bare node:http 204', value: baseline.requestsPerSecond },
    },
    { id: 'collector.before.single_cpu_us_per_req', section: SECTION, measure: 'collector CPU per 1-event beacon, before', value: before.cpuUsPerRequest, unit: 'µs' },
    {
      id: 'collector.after_vs_before',
      section: SECTION,
      measure: '1-event beacon requests/s, this collector vs before',
      value: ratio(after.requestsPerSecond, before.requestsPerSecond),
      unit: '×',
      baseline: { name: 'before', value: before.requestsPerSecond },
    },
  ];
}

/**
 * Runs the collector benchmark against `brokers` (the team's `pnpm bench` calls this) and returns
 * its rows (ids `collector.*`). The four servers (bare, collector on Kafka, the same with three
 * producers, collector on the embedded log) run side by side and are driven in turn, in rounds
 * whose order rotates, so on a shared machine a busy spell lands on every target alike.
 */
export async function run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]> {
  const seconds = options.quick ? 6 : 24;
  const rounds = options.quick ? 3 : 6;
  const runId = `bench${Date.now().toString(36)}`;
  const topics = { views: `bench.collector.views.${runId}`, searches: `bench.collector.searches.${runId}` };
  const slugs = catalogueSlugs();
  let n = 0;
  const source = (size: number, acknowledged = new Set<string>()): BeaconSource => ({
    acknowledged,
    next() {
      const ids: string[] = [];
      const events = Array.from({ length: size }, () => {
        const i = n++;
        ids.push(`${runId}-${String(i).padStart(12, '0')}`);
        return `{"type":"view","id":"${ids.at(-1)}","ts":${Date.now()},"aircraft":"${slugs[i % slugs.length]}"}`;
      });
      return { body: `{"v":1,"events":[${events.join(',')}]}`, ids };
    },
  });
  /** Every event a collector on Kafka acknowledged: all of them must be read back. */
  const inKafka = new Set<string>();

  const beforeEntry = process.env.BENCH_COLLECTOR_BEFORE;
  const start = (env: Record<string, string>, entry?: string): Promise<CollectorProcess> =>
    startCollectorProcess(
      { KAFKA_TOPIC_VIEWS: topics.views, KAFKA_TOPIC_SEARCHES: topics.searches, RATE_LIMIT_PER_MINUTE: '100000000', RATE_LIMIT_BURST: '100000000', ...env },
      undefined,
      entry,
    );

  const bare = await startBareServer();
  const services: CollectorProcess[] = [];
  try {
    const kafka = await start({ KAFKA_BROKERS: options.brokers });
    services.push(kafka);
    const three = await start({ KAFKA_BROKERS: options.brokers, KAFKA_PRODUCERS: '3' });
    services.push(three);
    // An empty KAFKA_BROKERS counts as unset: the embedded log, even when the bench itself was given a broker.
    const embedded = await start({ KAFKA_BROKERS: '' });
    services.push(embedded);
    const targets: { name: string; url: string; pid?: number | undefined; beacons: BeaconSource }[] = [
      { name: 'bare', url: bare.url, beacons: source(1) },
      { name: 'kafka', url: `${kafka.url}/v1/events`, pid: kafka.child.pid, beacons: source(1, inKafka) },
      { name: 'three', url: `${three.url}/v1/events`, pid: three.child.pid, beacons: source(1, inKafka) },
      { name: 'embedded', url: `${embedded.url}/v1/events`, pid: embedded.child.pid, beacons: source(1) },
    ];
    if (beforeEntry) {
      const before = await start({ KAFKA_BROKERS: options.brokers }, beforeEntry);
      services.push(before);
      // Not in `inKafka`: an older collector may write records today's record schema rejects.
      targets.push({ name: 'before', url: `${before.url}/v1/events`, pid: before.child.pid, beacons: source(1) });
    }
    // Warm-up (connections, JIT, the producers' first metadata round trip) also sizes each round.
    const rate = new Map<string, number>();
    for (const t of targets) rate.set(t.name, (await drive(t.url, 2_000, t.beacons)).requestsPerSecond);
    const runs = new Map<string, Measured[]>(targets.map((t) => [t.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (const t of [...targets.slice(r % targets.length), ...targets.slice(0, r % targets.length)]) {
        runs.get(t.name)?.push(await drive(t.url, ((rate.get(t.name) ?? 0) * seconds) / rounds, t.beacons, t.pid));
      }
    }
    const batched = await drive(`${kafka.url}/v1/events`, ((rate.get('kafka') ?? 0) * seconds) / 2, source(10, inKafka));
    const rssKb = await kafka.peakRssKb();
    await Promise.all(services.map((s) => s.stop()));

    const ceiling = await kafkaPerf(options.brokers, `bench.collector.perf.${runId}`, options.quick ? 200_000 : 1_000_000);
    const audit = await auditTopics(options.brokers, [topics.views]);
    let lost = 0;
    for (const id of inKafka) if (!audit.ids.has(id)) lost++;

    const [baseline, main, single3, embeddedRun] = ['bare', 'kafka', 'three', 'embedded'].map((name) => summarise(runs.get(name) ?? [])) as [Measured, Measured, Measured, Measured];
    const single = main.requestsPerSecond;
    const batchedEvents = batched.requestsPerSecond * 10;
    const producersNote = process.env.KAFKA_PRODUCERS ? `KAFKA_PRODUCERS=${process.env.KAFKA_PRODUCERS}` : 'default KAFKA_PRODUCERS';
    const medianOf = `median of ${rounds} interleaved rounds`;
    return [
      { id: 'collector.bare_req_per_s', section: SECTION, measure: 'bare node:http requests/s', value: baseline.requestsPerSecond, unit: 'req/s', note: `${medianOf}; p50 ${baseline.p50} ms, p99 ${baseline.p99} ms` },
      { id: 'collector.single_req_per_s', section: SECTION, measure: '1-event beacon requests/s (acks=all)', value: single, unit: 'req/s', note: `${producersNote}; ${latency(main)}` },
      {
        id: 'collector.single_vs_bare',
        section: SECTION,
        measure: '1-event beacons vs bare node:http',
        value: ratio(single, baseline.requestsPerSecond),
        unit: '×',
        baseline: { name: 'bare node:http 204', value: baseline.requestsPerSecond },
        target: '≥ 0.6',
        ok: ratio(single, baseline.requestsPerSecond) >= 0.6,
      },
      { id: 'collector.single_cpu_us_per_req', section: SECTION, measure: 'collector CPU per 1-event beacon', value: main.cpuUsPerRequest, unit: 'µs', note: 'user + system time of the collector process' },
      { id: 'collector.single_3_producers_req_per_s', section: SECTION, measure: '1-event beacon requests/s, KAFKA_PRODUCERS=3', value: single3.requestsPerSecond, unit: 'req/s', note: latency(single3) },
      { id: 'collector.single_3_producers_cpu_us_per_req', section: SECTION, measure: 'collector CPU per 1-event beacon, KAFKA_PRODUCERS=3', value: single3.cpuUsPerRequest, unit: 'µs' },
      {
        id: 'collector.producers_3_vs_default',
        section: SECTION,
        measure: `1-event beacons, KAFKA_PRODUCERS=3 vs ${producersNote}`,
        value: ratio(single3.requestsPerSecond, single),
        unit: '×',
        baseline: { name: producersNote, value: single },
      },
      {
        id: 'collector.batch10_events_per_s',
        section: SECTION,
        measure: '10-event beacon events/s (acks=all)',
        value: batchedEvents,
        unit: 'events/s',
        baseline: { name: '1-event events/s', value: single },
        ratio: ratio(batchedEvents, single),
        target: '≥ 3× single',
        ok: batchedEvents / single >= 3,
        note: `${batched.requestsPerSecond.toFixed(0)} req/s, ${latency(batched)}`,
      },
      {
        id: 'collector.kafka_perf_ceiling_records_per_s',
        section: SECTION,
        measure: 'Kafka ProducerPerformance records/s (250 B, acks=all, idempotent)',
        value: ceiling.recordsPerSecond,
        unit: 'rec/s',
        note: `p99 ${ceiling.p99Ms} ms; same broker, kafka-tools at the broker's version`,
      },
      {
        id: 'collector.single_vs_ceiling',
        section: SECTION,
        measure: '1-event beacon events/s vs the Kafka ceiling',
        value: ratio(single, ceiling.recordsPerSecond),
        unit: '×',
        baseline: { name: 'ProducerPerformance', value: ceiling.recordsPerSecond },
      },
      { id: 'collector.embedded_single_req_per_s', section: SECTION, measure: '1-event beacon requests/s (embedded log)', value: embeddedRun.requestsPerSecond, unit: 'req/s', note: latency(embeddedRun) },
      {
        id: 'collector.embedded_single_vs_bare',
        section: SECTION,
        measure: '1-event beacons on the embedded log vs bare node:http',
        value: ratio(embeddedRun.requestsPerSecond, baseline.requestsPerSecond),
        unit: '×',
        baseline: { name: 'bare node:http 204', value: baseline.requestsPerSecond },
      },
      {
        id: 'collector.lost',
        section: SECTION,
        measure: 'events acknowledged by the collector but not in Kafka',
        value: lost,
        unit: 'events',
        target: '= 0',
        ok: lost === 0,
        note: `${inKafka.size} acknowledged; ${audit.ids.size} distinct ids in ${audit.records} records read back from ${topics.views}`,
      },
      { id: 'collector.peak_rss_mib', section: SECTION, measure: 'collector peak RSS', value: Math.round(rssKb / 1024), unit: 'MiB' },
      ...(beforeEntry ? beforeRows(summarise(runs.get('before') ?? []), baseline, main, beforeEntry) : []),
    ];
  } finally {
    await bare.close();
    await Promise.all(services.filter((s) => s.alive()).map((s) => s.stop()));
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
