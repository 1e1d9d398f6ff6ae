import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client's default process and Node.js metrics, minus three gauges whose names end in
 * `_total` (which Prometheus reserves for counters, so `promtool check metrics` rejects them).
 * Nothing is lost: `nodejs_active_handles`, `nodejs_active_requests` and
 * `nodejs_active_resources` carry the same numbers broken down by type.
 */
export function registerDefaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
}
