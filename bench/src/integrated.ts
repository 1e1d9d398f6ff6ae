/**
 * The collector and consumer benchmarks their engineers own (bench/src/collector.ts and
 * consumer.ts); both export `run({ brokers, quick })` returning rows in this bench's shape.
 */
import { run as collectorBench } from './collector.ts';
import { run as consumerBench } from './consumer.ts';
import type { BenchRow } from './table.ts';

export interface IntegratedModule {
  name: string;
  run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]>;
}

/** In the order the bench runs them. */
export function integratedModules(): IntegratedModule[] {
  return [
    { name: 'collector', run: collectorBench },
    { name: 'consumer', run: consumerBench },
  ];
}
