/**
 * Fault drills against the real collector, consumer and broker: crash one part under load, bring
 * it back, then count what the pipeline lost or doubled. Every drill uses its own topics, consumer
 * group and temp dir, so drills (and other people's tests on the same broker) never mix.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaBroker } from '@hangarstack/deploy/kafka';
import { beaconFactory, catalogueSlugs } from './beacons.ts';
import { HOSTILE_KINDS, hostileRequest } from './hostile.ts';
import { hostileUserAgentRows } from './hostile-user-agent.ts';
import { startLoad, type LoadResult } from './load.ts';
import { startCollectorProcess, type CollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { startConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { collectorEnv, consumerEnv, inPipeline, type PipelineEnv } from './pipeline.ts';
import { auditTopics, totalViews, viewCounts, waitForViews } from './readback.ts';
import { pool, sendRaw } from './send-raw.ts';
import type { BenchRow } from './table.ts';

const SECTION = 'drills';

function zeroRow(measure: string, value: number, note?: string): BenchRow {
  return { section: SECTION, measure, value, unit: '', target: '= 0', ok: value === 0, ...(note ? { note } : {}) };
}

function countRow(measure: string, value: number, note?: string): BenchRow {
  return { section: SECTION, measure, value, unit: '', ...(note ? { note } : {}) };
}

function lostOf(acked: Set<string>, stored: Set<string>): number {
  let lost = 0;
  for (const id of acked) if (!stored.has(id)) lost++;
  return lost;
}

/** Waits until every acknowledged id is in the topics (the spool drains after an outage) or time runs out. */
async function waitStored(p: PipelineEnv, acked: Set<string>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let audit = await auditTopics(p.brokers, [p.topics.views, p.topics.searches]);
  while (lostOf(acked, audit.ids) > 0 && Date.now() < deadline) {
    await sleep(2_000);
    audit = await auditTopics(p.brokers, [p.topics.views, p.topics.searches]);
  }
  return audit;
}

const statusSummary = (r: LoadResult) =>
  Object.entries(r.statuses)
    .sort()
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');

/** SIGKILL the broker for `outageMs` under load, restart it: acknowledged lost 0, popularity duplicates 0. */
export async function brokerKillDrill(broker: KafkaBroker, outageMs: number): Promise<BenchRow[]> {
  return inPipeline(broker.brokers, 'broker-kill', async (p) => {
    const collector = await startCollectorProcess(collectorEnv(p));
    const consumer = await startConsumerProcess(consumerEnv(p));
    try {
      const load = startLoad({ url: () => collector.url, makeBeacon: beaconFactory('brokerkill', catalogueSlugs(), 10), concurrency: 4, pauseMs: 20 });
      await sleep(3_000);
      const before = { ...load.result.statuses };
      await broker.kill();
      await sleep(outageMs);
      const during = Object.fromEntries(Object.entries(load.result.statuses).map(([k, v]) => [k, v - (before[k] ?? 0)]));
      await broker.restart();
      await sleep(5_000);
      const result = await load.stop();
      const audit = await waitStored(p, result.acked, 120_000);
      const popularity = await waitForViews(join(p.dir, 'popularity.json'), audit.ids.size, 120_000);
      const views = totalViews(popularity);
      return [
        countRow('broker kill: events acknowledged', result.acked.size, `outage ${outageMs / 1000} s; ${statusSummary(result)}`),
        zeroRow('broker kill: acknowledged events lost', lostOf(result.acked, audit.ids)),
        zeroRow('broker kill: duplicates in popularity', Math.max(0, views - audit.ids.size), `${views} views for ${audit.ids.size} stored ids`),
        zeroRow('broker kill: stored events missing from popularity', Math.max(0, audit.ids.size - views)),
        countRow('broker kill: requests answered 503 during outage', during['503'] ?? 0, `of ${Object.values(during).reduce((a, b) => a + b, 0)} sent in the outage`),
      ];
    } finally {
      await collector.stop();
      await consumer.stop();
    }
  });
}

/** SIGKILL the collector under load and restart it on the same port and spool: acknowledged lost 0. */
export async function collectorKillDrill(brokers: string): Promise<BenchRow[]> {
  return inPipeline(brokers, 'collector-kill', async (p) => {
    let collector: CollectorProcess = await startCollectorProcess(collectorEnv(p));
    const port = new URL(collector.url).port;
    const load = startLoad({ url: () => collector.url, makeBeacon: beaconFactory('collkill', catalogueSlugs(), 10), concurrency: 4 });
    try {
      await sleep(3_000);
      await collector.kill();
      collector = await startCollectorProcess(collectorEnv(p), Number(port));
      await sleep(3_000);
      const result = await load.stop();
      const audit = await waitStored(p, result.acked, 60_000);
      return [
        countRow('collector kill: events acknowledged', result.acked.size, statusSummary(result)),
        zeroRow('collector kill: acknowledged events lost', lostOf(result.acked, audit.ids)),
      ];
    } finally {
      await load.stop();
      await collector.stop();
    }
  });
}

/**
 * SIGKILL the consumer mid-stream and restart it: its popularity equals that of a consumer that
 * read the same stream without interruption. The kill lands while beacons are still arriving and
 * after the consumer has published part of them; the stream goes on while it is down.
 */
export async function consumerKillDrill(brokers: string, events: number): Promise<BenchRow[]> {
  return inPipeline(brokers, 'consumer-kill', async (p) => {
    const collector = await startCollectorProcess(collectorEnv(p));
    const crashedEnv = { ...p, dir: join(p.dir, 'crashed'), group: `${p.group}-crashed` };
    const file = join(crashedEnv.dir, 'popularity.json');
    let crashed = await startConsumerProcess(consumerEnv(crashedEnv));
    const load = startLoad({ url: () => collector.url, makeBeacon: beaconFactory('conskill', catalogueSlugs(), 10), concurrency: 4 });
    let seenAtKill = 0;
    let ackedAtKill: number;
    try {
      while (seenAtKill === 0 && load.result.acked.size < events) seenAtKill = totalViews(await waitForViews(file, 1, 200, 0));
      ackedAtKill = load.result.acked.size;
      await crashed.kill();
      while (load.result.acked.size < Math.max(events, ackedAtKill * 2)) await sleep(100);
      crashed = await startConsumerProcess(consumerEnv(crashedEnv));
    } finally {
      await load.stop();
      await collector.stop();
    }
    const audit = await waitStored(p, load.result.acked, 60_000);
    const crashedSnapshot = await waitForViews(file, audit.ids.size, 180_000);
    await crashed.stop();

    const reference = await startConsumerProcess(consumerEnv({ ...p, dir: join(p.dir, 'reference'), group: `${p.group}-reference` }));
    const refSnapshot = await waitForViews(join(p.dir, 'reference', 'popularity.json'), audit.ids.size, 180_000);
    await reference.stop();

    const a = viewCounts(refSnapshot);
    const b = viewCounts(crashedSnapshot);
    let differing = 0;
    for (const slug of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[slug] !== b[slug]) differing++;
    const sameRanking = JSON.stringify(refSnapshot?.popular) === JSON.stringify(crashedSnapshot?.popular);
    return [
      countRow('consumer kill: events in stream', audit.ids.size, `killed with ${seenAtKill} views published, ${ackedAtKill} acknowledged`),
      zeroRow('consumer kill: aircraft counts differing from uninterrupted run', differing, `${totalViews(crashedSnapshot)} vs ${totalViews(refSnapshot)} views`),
      zeroRow('consumer kill: popular-list differences', sameRanking ? 0 : 1),
    ];
  });
}

/** The hostile corpus: crashes 0, 5xx 0, invalid records in the topics 0. */
export async function hostileDrill(brokers: string, count: number): Promise<BenchRow[]> {
  return inPipeline(brokers, 'hostile', async (p) => {
    const collector = await startCollectorProcess(collectorEnv(p));
    const slugs = catalogueSlugs();
    const statuses = new Map<string, number>();
    const fiveXx = new Map<string, number>();
    const resets = new Map<string, number>();
    try {
      const slowEvery = HOSTILE_KINDS.length;
      await pool(count, 48, async (i) => {
        const req = hostileRequest(i, slugs[i % slugs.length] as string);
        // Slow bodies hold a socket for ~1.5 s; keep them a small share so the corpus finishes.
        const status = await sendRaw(collector.url, req.slow && i % (slowEvery * 20) !== 9 ? { ...req, slow: false } : req);
        const key = String(status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const bucket = status === 'error' ? resets : status >= 500 ? fiveXx : null;
        bucket?.set(req.kind, (bucket.get(req.kind) ?? 0) + 1);
      });
      const userAgentRows = await hostileUserAgentRows(collector.url, slugs[0] as string, count >= 100_000 ? 2_000 : 400);
      const alive = collector.alive() && (await fetch(`${collector.url}/healthz`).then((r) => r.ok, () => false));
      await sleep(1_000);
      const audit = await auditTopics(brokers, [p.topics.views, p.topics.searches]);
      const summary = [...statuses].sort().map(([k, v]) => `${k}:${v}`).join(' ');
      const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      const byKind = (m: Map<string, number>) => (m.size ? [...m].map(([k, v]) => `${k}:${v}`).join(' ') : undefined);
      return [
        countRow('hostile: requests sent', count, summary),
        zeroRow('hostile: collector crashes', alive ? 0 : 1),
        zeroRow('hostile: 5xx responses', total(fiveXx), byKind(fiveXx)),
        // A reset is no 5xx, but a client sees it as a failure all the same: counted on its own.
        zeroRow('hostile: connections reset without an answer (48 in flight)', total(resets), byKind(resets)),
        zeroRow('hostile: invalid records in topics', audit.invalid, `${audit.records} records read back`),
        ...userAgentRows,
      ];
    } finally {
      await collector.stop();
    }
  });
}
