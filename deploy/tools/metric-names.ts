import { createCollectorMetrics } from '@hangarstack/collector/ingest/metrics';
import { createConsumerMetrics } from '@hangarstack/collector/consumer/metrics';

/**
 * Every series name the collector and the consumer actually expose (histograms expanded to
 * _bucket/_sum/_count), read from their real prom-client registries, plus Prometheus' own `up`.
 */
export async function exposedMetricNames(): Promise<Set<string>> {
  const names = new Set<string>(['up']);
  for (const { registry } of [createCollectorMetrics(), createConsumerMetrics()]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

const PROMQL_WORDS = new Set([
  'sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'rate', 'irate', 'increase', 'deriv', 'delta',
  'histogram_quantile', 'and', 'or', 'unless', 'offset', 'on', 'ignoring', 'group_left', 'group_right', 'le', 'bool', 'topk', 'bottomk', 'abs', 'time',
]);

/** Metric names a PromQL expression selects: identifiers outside {…} and […] that are not functions or keywords. */
export function metricNamesIn(expr: string): string[] {
  const bare = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ').replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '[]').replace(/"[^"]*"/g, '""').replace(/\b\d+(\.\d+)?(ms|[smhdwy])?\b/g, '0');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = bare.slice((match.index ?? 0) + word.length).trimStart();
    if (PROMQL_WORDS.has(word) || after.startsWith('(')) continue;
    names.add(word);
  }
  return [...names];
}
