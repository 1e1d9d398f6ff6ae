/**
 * The sybil drill: one client address sends 1,000 view beacons for one obscure aircraft, each
 * with a different ordinary browser user agent and a spoofed `X-Forwarded-For` entry on the left
 * (the trusted proxy in front, loopback here, appends the real address). Meanwhile a few real
 * visitors, each from their own address behind the same proxy, view another aircraft. The figure
 * is how many visitors the one address gained: the consumer's per-origin cap must hold it at
 * MAX_VISITORS_PER_ORIGIN, and the sybil aircraft must not rank above the really visited one.
 * The collector's rate limit is lifted here so the figure measures the cap, not the limiter.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pool } from './send-raw.ts';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { startCollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { startConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { collectorEnv, consumerEnv, inPipeline } from './pipeline.ts';
import { totalViews } from './readback.ts';
import type { BenchRow } from './table.ts';

const SYBIL_AIRCRAFT = 'supermarine-spitfire-mk-ix';
const REAL_AIRCRAFT = 'boeing-747-400';
/** The default cap; the drill runs with the default so the target is the shipped behaviour. */
export const MAX_VISITORS_PER_ORIGIN = 3;

/** A plausible, distinct, non-bot Chrome user agent per index. */
export const sybilUserAgent = (i: number): string =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${100 + (i % 40)}.0.${i}.${i % 97} Safari/537.36`;

async function beacon(url: string, n: number, aircraft: string, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ v: 1, events: [{ type: 'view', id: `sybil-${Date.now().toString(36)}-${String(n).padStart(8, '0')}`, ts: Date.now(), aircraft }] });
  const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body });
  await res.arrayBuffer();
  return res.status;
}

export async function sybilDrill(brokers: string, sybilBeacons = 1_000, realVisitors = 5): Promise<BenchRow[]> {
  return inPipeline(brokers, 'sybil', async (p) => {
    const collector = await startCollectorProcess({ ...collectorEnv(p), TRUSTED_PROXIES: 'loopback' });
    const consumer = await startConsumerProcess({ ...consumerEnv(p), MAX_VISITORS_PER_ORIGIN: String(MAX_VISITORS_PER_ORIGIN) });
    try {
      const statuses = new Map<number, number>();
      const count = (s: number): void => void statuses.set(s, (statuses.get(s) ?? 0) + 1);
      for (let v = 0; v < realVisitors; v++) {
        count(await beacon(collector.url, 1_000_000 + v, REAL_AIRCRAFT, { 'user-agent': sybilUserAgent(0), 'x-forwarded-for': `198.51.100.${10 + v}` }));
      }
      await pool(sybilBeacons, 16, async (i) => {
        // The left entry is the client's own invention; the proxy appends the address it saw.
        const headers = { 'user-agent': sybilUserAgent(i + 1), 'x-forwarded-for': `10.${i % 250}.7.${i % 200}, 203.0.113.66` };
        count(await beacon(collector.url, i, SYBIL_AIRCRAFT, headers));
      });
      const accepted = statuses.get(202) ?? 0;
      const file = join(p.dir, 'popularity.json');
      const deadline = Date.now() + 120_000;
      let snapshot = readPopularityFile(file);
      while (totalViews(snapshot) < accepted && Date.now() < deadline) {
        await sleep(250);
        snapshot = readPopularityFile(file);
      }
      const sybil = snapshot?.aircraft[SYBIL_AIRCRAFT];
      const real = snapshot?.aircraft[REAL_AIRCRAFT];
      const gained = sybil?.visitors.d7 ?? Number.NaN;
      const outranks = sybil?.rank != null && real?.rank != null && sybil.rank < real.rank ? 1 : 0;
      const summary = [...statuses].sort(([a], [b]) => a - b).map(([k, v]) => `${k}:${v}`).join(' ');
      return [
        {
          id: 'drills.sybil_visitors_gained',
          section: 'drills',
          measure: `sybil: visitors one address gains with ${sybilBeacons.toLocaleString('en-US')} user agents`,
          value: gained,
          unit: '',
          target: `≤ ${MAX_VISITORS_PER_ORIGIN}`,
          ok: gained <= MAX_VISITORS_PER_ORIGIN,
          note: `${sybil?.views.d7 ?? 0} views counted; answers ${summary}`,
        },
        {
          id: 'drills.sybil_outranks_real',
          section: 'drills',
          measure: `sybil: ranked above an aircraft with ${realVisitors} real visitors`,
          value: outranks,
          unit: '',
          target: '= 0',
          ok: outranks === 0,
          note: `ranks: sybil ${sybil?.rank ?? '-'}, real ${real?.rank ?? '-'}`,
        },
      ];
    } finally {
      await collector.stop();
      await consumer.stop();
    }
  });
}
