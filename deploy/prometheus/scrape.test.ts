import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { consumerDirs } from '@hangarstack/collector/testing/consumer-dirs';
import { startConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { postBeacon, startCollectorProcess, viewBeacon } from '@hangarstack/collector/testing/collector-process';
import type { RunningService } from '@hangarstack/testing/supervisor';
import { freePort } from '@hangarstack/testing/free-port';
import { tempDir } from '@hangarstack/testing/temp-dir';

interface Sample { metric: Record<string, string>; value: [number, string] }

/**
 * Debian's real Prometheus, with deploy/prometheus/prometheus.yml (targets pointed at the
 * children, 1 s scrapes) and alerts.yml, scraping a real collector and consumer in embedded mode.
 */
describe('real Prometheus scrapes the collector and the consumer', () => {
  const services: RunningService[] = [];
  let prometheus: ChildProcess | undefined;
  let api = '';

  beforeAll(async () => {
    const dir = tempDir('prom-scrape-');
    const eventsDb = join(dir, 'events.db');
    const [collectorPort, consumerPort, promPort] = [await freePort(), await freePort(), await freePort()];
    const collector = await startCollectorProcess({ EMBEDDED_LOG_PATH: eventsDb }, collectorPort);
    services.push(collector);
    const { popularityFile, stateDir } = consumerDirs();
    services.push(await startConsumerProcess({ EMBEDDED_LOG_PATH: eventsDb, POPULARITY_FILE: popularityFile, CONSUMER_STATE_DIR: stateDir, REBUILD: 'off' }, consumerPort));
    // One real beacon so the request and event counters have samples.
    const slug = readdirSync('data/aircraft').find((f) => f.endsWith('.json'))?.replace(/\.json$/, '') ?? 'unknown';
    const accepted = await postBeacon(collector.url, viewBeacon(slug, 1).body);
    if (!accepted.ok) throw new Error(`the collector refused a beacon for ${slug}: ${accepted.status}`);

    const config = parse(readFileSync('deploy/prometheus/prometheus.yml', 'utf8')) as {
      global: Record<string, string>;
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    config.global.scrape_interval = '1s';
    config.global.evaluation_interval = '1s';
    const targets: Record<string, string> = { collector: `127.0.0.1:${collectorPort}`, consumer: `127.0.0.1:${consumerPort}`, prometheus: `127.0.0.1:${promPort}` };
    for (const job of config.scrape_configs) job.static_configs = [{ targets: [targets[job.job_name] ?? ''] }];
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    copyFileSync('deploy/prometheus/alerts.yml', join(dir, 'alerts.yml'));
    prometheus = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    api = `http://127.0.0.1:${promPort}/api/v1`;
  }, 120_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await Promise.all(services.map((s) => s.stop()));
  });

  async function query(promql: string): Promise<Sample[]> {
    const res = await fetch(`${api}/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Sample[] } };
    return body.status === 'success' ? body.data.result : [];
  }

  async function until(promql: string, ok: (r: Sample[]) => boolean, timeoutMs = 60_000): Promise<Sample[]> {
    const deadline = Date.now() + timeoutMs;
    let last: Sample[] = [];
    while (Date.now() < deadline) {
      last = await query(promql).catch(() => []);
      if (ok(last)) return last;
      await sleep(500);
    }
    throw new Error(`${promql} did not reach the expected result in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }

  it('both jobs are up', async () => {
    const up = await until('up{job=~"collector|consumer"} == 1', (r) => r.length === 2);
    expect(up.map((s) => s.metric.job).sort()).toEqual(['collector', 'consumer']);
  }, 90_000);

  it('the collector request counter and the consumer snapshot gauge are scraped', async () => {
    const requests = await until('hangar_collector_http_requests_total', (r) => r.length > 0);
    expect(requests.every((s) => s.metric.job === 'collector')).toBe(true);
    expect(requests.some((s) => s.metric.route === '/v1/events' || s.metric.route === '/healthz')).toBe(true);
    const processed = await until('{__name__=~"hangar_consumer_.+", job="consumer"}', (r) => r.length > 0);
    expect(processed.length).toBeGreaterThan(0);
  }, 90_000);

  it('loads every alert rule and none fires against healthy services', async () => {
    const res = await fetch(`${api}/rules`);
    const body = (await res.json()) as { data: { groups: { rules: { name: string; health: string; state: string }[] }[] } };
    const rules = body.data.groups.flatMap((g) => g.rules);
    // Every rule in alerts.yml, however many there are now.
    const defined = (parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as { groups: { rules: unknown[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.length).toBe(defined.length);
    for (const rule of rules) expect(rule.health === 'ok' || rule.health === 'unknown', `${rule.name}: ${rule.health}`).toBe(true);
    expect(rules.filter((r) => r.state === 'firing').map((r) => r.name)).toEqual([]);
  }, 30_000);
});
