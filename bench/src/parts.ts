/**
 * The bench's parts, in the order a run takes them (bench/README.md "Parts" describes each; its
 * test checks the two lists agree). The parts that need no broker run first, before one is
 * started: a broker's JVM beside the site build used ~5 % of a core throughout (4-6 clock ticks a
 * second, 1k quick build, `/proc/<pid>/stat`), and ~1.7-2 cores while it started, CPU that the
 * build's rows (`build.astro_vs_hugo_<n>` against Hugo) would share.
 */
import { join } from 'node:path';
import { rmSync, mkdirSync } from 'node:fs';
import type { KafkaBroker } from '@hangarstack/deploy/kafka';
import { brokerKillDrill, collectorKillDrill, consumerKillDrill, hostileDrill } from './drills.ts';
import { integratedModules } from './integrated.ts';
import { run as coViewsBench } from './co-views.ts';
import { pageWeightRows } from './page-weight.ts';
import { compressionComparison } from './compression.ts';
import { producerComparison } from './producer.ts';
import { ASTRO_WORK, astroBuild, siteBuild } from './site-build.ts';
import { loopRows } from './loop.ts';
import { soakDrill } from './soak.ts';
import { sybilDrill } from './sybil.ts';
import type { BenchRow } from './table.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** What a part that uses Kafka is given: the brokers, and the broker itself when this run started it (else null). */
export interface KafkaContext {
  brokers: string;
  broker: KafkaBroker | null;
}

export type BenchPart =
  | { name: string; kafka: false; run(quick: boolean): Promise<BenchRow[]> }
  | { name: string; kafka: true; run(quick: boolean, kafka: KafkaContext): Promise<BenchRow[]> };

export function benchParts(): BenchPart[] {
  return [
    { name: 'build', kafka: false, run: async (quick) => [...(await siteBuild(1_000)), ...(quick ? [] : await siteBuild(10_000))] },
    {
      name: 'page-weight',
      kafka: false,
      run: async () => {
        const dir = join(ASTRO_WORK, 'real');
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        await astroBuild(join(ROOT, 'data'), join(dir, 'dist'), join(dir, 'cache'), join(dir, 'no-popularity.json'));
        const result = pageWeightRows(join(dir, 'dist'));
        rmSync(dir, { recursive: true, force: true });
        return result;
      },
    },
    {
      name: 'producer',
      kafka: true,
      run: async (quick, { brokers }) => [...(await producerComparison(brokers, quick ? 50_000 : 200_000)), ...(await compressionComparison(brokers, quick ? 20_000 : 100_000))],
    },
    ...integratedModules().map((m): BenchPart => ({ name: m.name, kafka: true, run: (quick, { brokers }) => m.run({ brokers, quick }) })),
    { name: 'coviews', kafka: true, run: (quick, { brokers }) => coViewsBench({ brokers, quick }) },
    {
      name: 'drills',
      kafka: true,
      run: async (quick, { brokers }) => [
        ...(await collectorKillDrill(brokers)),
        ...(await consumerKillDrill(brokers, quick ? 3_000 : 50_000)),
        ...(await hostileDrill(brokers, quick ? 10_000 : 100_000)),
        ...(await sybilDrill(brokers)),
      ],
    },
    { name: 'soak', kafka: true, run: (quick, { brokers }) => soakDrill(brokers, quick ? 60_000 : 600_000, quick ? 5_000 : 15_000) },
    {
      name: 'broker-kill',
      kafka: true,
      run: async (quick, { broker }) =>
        broker
          ? brokerKillDrill(broker, quick ? 10_000 : 30_000)
          : [{ section: 'drills', measure: 'broker kill', value: Number.NaN, unit: '', note: 'skipped: KAFKA_BROKERS is external, unset it to let the bench start (and kill) its own broker' }],
    },
    { name: 'loop', kafka: true, run: (quick, { brokers }) => loopRows(brokers, quick) },
  ];
}
