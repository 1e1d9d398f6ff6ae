/**
 * What a hostile User-Agent costs the collector: an `Android …` header of 15,000 characters (just
 * under Node's 16 KiB header limit, so it reaches the handler; a full 16 KiB one is refused with
 * 431 before any code of ours runs) against an ordinary one, in interleaved rounds on one
 * connection each, same beacon otherwise. The collector cuts user agents to 512 characters before
 * the bot filter, the hashes and the device class, and the device class has no look-ahead that
 * rescans the header per "Android", so the two medians should match.
 */
import { Agent, request } from 'node:http';
import { median, percentile, ratio } from './stats.ts';
import type { BenchRow } from './table.ts';

const NORMAL = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/**
 * "Mobile" only at the very end: the old `Android(?!.*Mobile)` scanned to the end of the header for
 * every "Android" token (its look-ahead then failed, so the next token was tried): quadratic.
 */
export const HOSTILE_ANDROID_UA = `Mozilla/5.0 (Linux; ${'Android '.repeat(1_875)}`.slice(0, 14_990) + ') Mobile';

function timedPost(base: URL, agent: Agent, userAgent: string, aircraft: string, n: number): Promise<{ ms: number; status: number }> {
  const body = JSON.stringify({ v: 1, events: [{ type: 'view', id: `hostile-ua-${Date.now().toString(36)}-${String(n).padStart(7, '0')}`, ts: Date.now(), aircraft }] });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const r = request(
      { host: base.hostname, port: base.port, method: 'POST', path: '/v1/events', agent, headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), 'user-agent': userAgent } },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
      },
    );
    r.once('error', reject);
    r.end(body);
  });
}

export async function hostileUserAgentRows(collectorUrl: string, aircraft: string, rounds: number): Promise<BenchRow[]> {
  const base = new URL(collectorUrl);
  const agents = { normal: new Agent({ keepAlive: true, maxSockets: 1 }), hostile: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const samples = { normal: [] as number[], hostile: [] as number[] };
  const statuses = new Map<string, number>();
  try {
    for (let i = 0; i < rounds; i++) {
      // Interleaved, so both kinds see the same machine load.
      for (const kind of i % 2 === 0 ? (['normal', 'hostile'] as const) : (['hostile', 'normal'] as const)) {
        const { ms, status } = await timedPost(base, agents[kind], kind === 'normal' ? NORMAL : HOSTILE_ANDROID_UA, aircraft, i * 2 + (kind === 'normal' ? 0 : 1));
        samples[kind].push(ms);
        statuses.set(`${kind}:${status}`, (statuses.get(`${kind}:${status}`) ?? 0) + 1);
      }
    }
  } finally {
    agents.normal.destroy();
    agents.hostile.destroy();
  }
  const normal = median(samples.normal);
  const hostile = median(samples.hostile);
  const value = ratio(hostile, normal);
  return [
    {
      id: 'drills.hostile_ua_latency_ratio',
      section: 'drills',
      measure: `hostile: 15,000-char "Android …" user agent, median latency vs an ordinary one (${rounds} each)`,
      value,
      unit: '×',
      baseline: { name: 'ordinary UA ms', value: Math.round(normal * 100) / 100 },
      ratio: value,
      target: '≤ 1.5×',
      ok: value <= 1.5,
      note: `medians ${hostile.toFixed(2)} vs ${normal.toFixed(2)} ms; p99 ${percentile(samples.hostile, 99).toFixed(2)} vs ${percentile(samples.normal, 99).toFixed(2)} ms; ${[...statuses].map(([k, v]) => `${k}:${v}`).join(' ')}`,
    },
  ];
}
