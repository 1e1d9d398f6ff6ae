/**
 * Soak: measure the collector's maximum beacon rate with autocannon, then hold half of it for the
 * soak duration with the consumer running: errors 0, RSS growth (after warm-up) < 10 %.
 */
import autocannon from 'autocannon';
import { beaconFactory, catalogueSlugs } from './beacons.ts';
import { startCollectorProcess } from '@hangarstack/collector/testing/collector-process';
import { startConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { collectorEnv, consumerEnv, inPipeline } from './pipeline.ts';
import { growth } from './stats.ts';
import type { BenchRow } from './table.ts';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';

const HEADERS = { 'content-type': 'text/plain', 'user-agent': BROWSER_UA };

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolveResult, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error) : resolveResult(result)));
  });
}

/** Runs the soak; `durationMs` is the soak itself (warm-up and the max run come on top). */
export async function soakDrill(brokers: string, durationMs: number, maxRunMs: number): Promise<BenchRow[]> {
  return inPipeline(brokers, 'soak', async (p) => {
    const collector = await startCollectorProcess(collectorEnv(p));
    const consumer = await startConsumerProcess(consumerEnv(p));
    try {
      const body = JSON.stringify(beaconFactory('soak', catalogueSlugs(), 10)().beacon);
      const base = { url: `${collector.url}/v1/events`, method: 'POST' as const, headers: HEADERS, body, connections: 16 };
      // A cold collector (JIT, producer connection) is far slower than a warm one: warm it first.
      await cannon({ ...base, duration: maxRunMs / 1000 });
      const max = await cannon({ ...base, duration: maxRunMs / 1000 });
      const rate = Math.max(1, Math.floor(max.requests.average / 2));

      const warmUpMs = Math.min(30_000, durationMs / 5);
      await cannon({ ...base, overallRate: rate, duration: warmUpMs / 1000 });
      // RSS sampled every 2 s; growth compares the mean of the first and last fifth, so one GC
      // cycle landing at either end cannot make or hide a leak.
      const samples: { collector: number; consumer: number }[] = [];
      const sampler = setInterval(() => {
        void Promise.all([collector.rssKb(), consumer.rssKb()]).then(([c, k]) => samples.push({ collector: c, consumer: k }));
      }, 2_000);
      const soak = await cannon({ ...base, overallRate: rate, duration: durationMs / 1000 });
      clearInterval(sampler);
      const fifth = Math.max(1, Math.floor(samples.length / 5));
      const mean = (xs: { collector: number; consumer: number }[], k: 'collector' | 'consumer') => xs.reduce((a, x) => a + x[k], 0) / xs.length;
      const rss0 = { collector: mean(samples.slice(0, fifth), 'collector'), consumer: mean(samples.slice(0, fifth), 'consumer') };
      const rss1 = { collector: mean(samples.slice(-fifth), 'collector'), consumer: mean(samples.slice(-fifth), 'consumer') };

      const errors = soak.errors + soak.timeouts + soak.non2xx;
      const rssRow = (name: 'collector' | 'consumer'): BenchRow => {
        const g = growth(rss0[name], rss1[name]);
        return {
          section: 'soak',
          measure: `${name} RSS growth`,
          value: g * 100,
          unit: '%',
          target: '< 10 %',
          ok: g < 0.1,
          note: `${Math.round(rss0[name] / 1024)} → ${Math.round(rss1[name] / 1024)} MiB`,
        };
      };
      return [
        { section: 'soak', measure: 'collector max (10-event beacons)', value: max.requests.average, unit: 'req/s', note: `${max.non2xx} non-2xx` },
        { section: 'soak', measure: `requests at half max for ${durationMs / 60_000} min`, value: soak.requests.total, unit: '', note: `${rate} req/s` },
        { section: 'soak', measure: 'errors (connection, timeout, non-2xx)', value: errors, unit: '', target: '= 0', ok: errors === 0 },
        rssRow('collector'),
        rssRow('consumer'),
      ];
    } finally {
      await collector.stop();
      await consumer.stop();
    }
  });
}
