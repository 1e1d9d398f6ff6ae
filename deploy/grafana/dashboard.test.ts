import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exposedMetricNames, metricNamesIn } from '../tools/metric-names.ts';

interface Panel { id: number; title: string; type: string; targets: { expr: string; refId: string }[]; gridPos: { w: number; h: number } }
const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/hangarstack.json', 'utf8')) as { uid: string; title: string; panels: Panel[] };

describe('Grafana dashboard', () => {
  it('parses, has unique panel ids and queries in every panel', () => {
    expect(dashboard.uid).toBe('hangarstack-overview');
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      expect(panel.gridPos.w * panel.gridPos.h, panel.title).toBeGreaterThan(0);
    }
  });

  it('every query names only metrics that the collector and consumer expose', async () => {
    const exposed = await exposedMetricNames();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const names = metricNamesIn(target.expr.replaceAll('$__rate_interval', '5m'));
        expect(names.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
        for (const name of names) expect(exposed, `${panel.title} queries ${name}`).toContain(name);
      }
    }
  });

  it('covers traffic, errors, latency, rejections, spool, lag, popularity age and rebuilds', () => {
    const all = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of [
      'hangar_collector_http_requests_total', 'hangar_collector_http_request_duration_seconds_bucket',
      'hangar_collector_events_accepted_total', 'hangar_collector_events_rejected_total', 'hangar_collector_spool_bytes',
      'hangar_consumer_lag_events', 'hangar_consumer_snapshot_age_seconds', 'hangar_consumer_rebuilds_failed_total',
    ]) expect(all).toContain(metric);
  });

  it('is provisioned from the folder compose mounts, against the Prometheus datasource it uses', () => {
    const provider = parse(readFileSync('deploy/grafana/provisioning/dashboards/hangarstack.yaml', 'utf8')) as { providers: { options: { path: string } }[] };
    const datasource = parse(readFileSync('deploy/grafana/provisioning/datasources/prometheus.yaml', 'utf8')) as { datasources: { uid: string }[] };
    const compose = readFileSync('deploy/compose.yaml', 'utf8');
    expect(compose).toContain(`./grafana/dashboards:${provider.providers[0]?.options.path}`);
    expect(readFileSync('deploy/grafana/dashboards/hangarstack.json', 'utf8')).toContain(`"uid": "${datasource.datasources[0]?.uid}"`);
  });
});
