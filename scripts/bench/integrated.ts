/**
 * The collector and consumer benchmarks their engineers own (scripts/bench/collector.ts and
 * consumer.ts), adapted to the bench's rows. Loaded by path so the bench still runs (with a
 * note) while either file is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './table.ts';

export interface IntegratedModule {
  name: string;
  run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]>;
}

export async function integratedModules(): Promise<IntegratedModule[]> {
  const out: IntegratedModule[] = [];
  for (const name of ['collector', 'consumer']) {
    const file = join(import.meta.dirname, `${name}.ts`);
    if (!existsSync(file)) {
      out.push({ name, run: async () => [{ section: name, measure: `scripts/bench/${name}.ts`, value: Number.NaN, unit: '', note: 'not written yet' }] });
    }
  }
  return out;
}
