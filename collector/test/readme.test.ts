import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstColumnNames } from '@hangarstack/testing/markdown';
import { collectorEnvShape } from '../src/ingest/config.ts';
import { consumerEnvShape } from '../src/consumer/config.ts';
import { createCollectorMetrics } from '../src/ingest/metrics.ts';
import { createConsumerMetrics } from '../src/consumer/metrics.ts';
import { serviceEnvShape } from '../src/transport/service-env.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
const shared = Object.keys(serviceEnvShape);
const ownKeys = (shape: object) => Object.keys(shape).filter((name) => !shared.includes(name));

/** Our series (not prom-client's default process metrics), as the registry exposes them. */
async function ourMetrics(registry: { getMetricsAsJSON(): Promise<{ name: string }[]> }): Promise<string[]> {
  return (await registry.getMetricsAsJSON()).map((m) => m.name).filter((name) => name.startsWith('hangar_'));
}

describe('collector/README.md documents exactly what the code reads and exposes', () => {
  it('the shared environment table is the shared zod shape', () => {
    expect(sorted(firstColumnNames(readme, 'Shared environment'))).toEqual(sorted(shared));
  });

  it("the collector's environment table is its zod shape (minus the shared variables)", () => {
    expect(sorted(firstColumnNames(readme, 'Collector environment'))).toEqual(sorted(ownKeys(collectorEnvShape)));
  });

  it("the consumer's environment table is its zod shape (minus the shared variables)", () => {
    expect(sorted(firstColumnNames(readme, 'Consumer environment'))).toEqual(sorted(ownKeys(consumerEnvShape)));
  });

  it("the collector's metrics table is its registry", async () => {
    expect(sorted(firstColumnNames(readme, 'Collector metrics'))).toEqual(sorted(await ourMetrics(createCollectorMetrics().registry)));
  });

  it("the consumer's metrics table is its registry", async () => {
    expect(sorted(firstColumnNames(readme, 'Consumer metrics'))).toEqual(sorted(await ourMetrics(createConsumerMetrics().registry)));
  });
});
