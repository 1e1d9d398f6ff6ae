/**
 * The loop's hot path end to end: a view beacon for an aircraft nobody viewed yet → collector →
 * Kafka or the embedded log → consumer → popularity-only rebuild → the served aircraft page
 * shows its new rank. The whole stack as `./hangar start` runs it (scripts/e2e/stack.ts) on the
 * real catalogue, with the consumer's debounce shortened to 200 ms so the row measures the
 * pipeline and the rebuild, not a timer. Each trial views a different aircraft, so each one
 * changes what pages show.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_UA as UA } from '@hangarstack/testing/user-agents';
import { startStack, waitFor } from '../../scripts/e2e/stack.ts';
import { percentile } from './stats.ts';
import type { BenchRow } from './table.ts';

const TARGET_MS = 3_000;

/** Milliseconds from each beacon's 202 request to its aircraft page served with a rank. */
async function trials(kafkaBrokers: string | undefined, count: number): Promise<number[]> {
  const runId = `loop-${kafkaBrokers ? 'kafka' : 'embedded'}-${Date.now().toString(36)}`;
  const stack = await startStack({
    kafkaBrokers,
    kAnonymity: 1,
    runId,
    consumer: { PUBLISH_INTERVAL_MS: '100', REBUILD_DEBOUNCE_MS: '200', REBUILD_MIN_INTERVAL_MS: '0', REBUILD_MAX_STALENESS_MS: '1000' },
  });
  const latencies: number[] = [];
  try {
    const slugs = readdirSync(join(stack.dataDir, 'aircraft')).map((f) => f.replace(/\.json$/, '')).sort();
    for (let i = 0; i < count; i++) {
      const slug = slugs[(i * 37) % slugs.length] ?? '';
      const sent = performance.now();
      const res = await fetch(`${stack.collectorUrl}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': UA },
        body: JSON.stringify({ v: 1, events: [{ type: 'view', id: `${runId}-${String(i).padStart(10, '0')}`, ts: Date.now(), aircraft: slug }] }),
      });
      if (res.status !== 202) throw new Error(`the collector answered ${res.status} to a view of ${slug}`);
      await waitFor(
        `/aircraft/${slug}/ to show a rank`,
        async () => ((await (await fetch(`${stack.siteUrl}/aircraft/${slug}/`)).text()).match(/#\d+ this week/) ? true : undefined),
        60_000,
      );
      latencies.push(performance.now() - sent);
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stack.output.slice(-30).join('\n')}`, { cause: error });
  } finally {
    await stack.stop();
  }
  return latencies;
}

/** `loop.beacon_to_live_p95_ms_{embedded,kafka}`: p95 of beacon → rebuilt page live. */
export async function loopRows(brokers: string, quick: boolean): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [mode, kafka] of [['embedded', undefined], ['kafka', brokers]] as const) {
    let ms: number[];
    try {
      ms = await trials(kafka, quick ? 5 : 20);
    } catch (error) {
      // One mode failing must not take the build rows of the same part with it.
      rows.push({ id: `loop.beacon_to_live_p95_ms_${mode}`, section: 'loop', measure: `beacon → page live p95 (${mode})`, value: Number.NaN, unit: 'ms', ok: false, note: (error as Error).message.slice(0, 160) });
      continue;
    }
    const p95 = percentile(ms, 95);
    rows.push({
      id: `loop.beacon_to_live_p95_ms_${mode}`,
      section: 'loop',
      measure: `beacon → page live p95 (${mode})`,
      value: p95,
      unit: 'ms',
      target: `≤ ${TARGET_MS.toLocaleString('en-GB')}`,
      ok: p95 <= TARGET_MS,
      note: `${ms.length} trials, median ${Math.round(percentile(ms, 50))} ms, max ${Math.round(Math.max(...ms))} ms`,
    });
  }
  return rows;
}
