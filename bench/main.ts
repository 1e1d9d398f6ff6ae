/**
 * `./hangar bench [--quick] [--json PATH]`: every benchmark and fault drill of issue 9 against a
 * real broker, printed as one table; `--json PATH` also writes the rows. Each figure is a ratio
 * against a baseline measured in the same run, or a count. A part that throws becomes a FAIL row
 * and the others still run; the exit code is 1 when any row failed its target.
 *
 * Broker: KAFKA_BROKERS when set (the broker-kill drill then skips: it cannot kill a broker it
 * did not start), else one started with deploy/kafka/launcher.ts for this run.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKafka, type KafkaBroker } from '@hangarstack/deploy/kafka';
import { brokerKillDrill, collectorKillDrill, consumerKillDrill, hostileDrill } from './src/drills.ts';
import { integratedModules } from './src/integrated.ts';
import { run as coViewsBench } from './src/co-views.ts';
import { pageWeightRows } from './src/page-weight.ts';
import { compressionComparison } from './src/compression.ts';
import { producerComparison } from './src/producer.ts';
import { ASTRO_WORK, astroBuild, siteBuild } from './src/site-build.ts';
import { loopRows } from './src/loop.ts';
import { soakDrill } from './src/soak.ts';
import { sybilDrill } from './src/sybil.ts';
import { benchReport, renderTable, type BenchRow } from './src/table.ts';

const ROOT = join(import.meta.dirname, '..');

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, only: { type: 'string' } } });
const quick = values.quick;
/** `--only producer,drills` runs a subset while developing; the full run has no --only. */
const only = values.only?.split(',').map((s) => s.trim());

const rows: BenchRow[] = [];
const failures: string[] = [];
const startedAt = new Date().toISOString();

/** A part that hangs must not hold the table back: it becomes a FAIL row after this long. */
const PART_LIMIT_MS = quick ? 240_000 : 1_800_000;

async function part(name: string, run: () => Promise<BenchRow[]>): Promise<void> {
  if (only && !only.includes(name)) return;
  const start = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not finish within ${PART_LIMIT_MS / 1000} s`)), PART_LIMIT_MS);
  });
  try {
    rows.push(...(await Promise.race([run(), limit])));
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    failures.push(`${name}: ${(error as Error).stack ?? message}`);
    rows.push({ section: name, measure: 'part failed', value: Number.NaN, unit: '', ok: false, note: message.slice(0, 160) });
  } finally {
    clearTimeout(timer);
  }
  process.stderr.write(`bench: ${name} done in ${((performance.now() - start) / 1000).toFixed(0)} s\n`);
  // A full run takes most of an hour: keep what is measured so far, should the rest not finish.
  writeReport(true);
}

function writeReport(partial: boolean): void {
  if (!values.json) return;
  if (!existsSync(join(values.json, '..'))) mkdirSync(join(values.json, '..'), { recursive: true });
  writeFileSync(values.json, `${JSON.stringify(benchReport(rows, { quick, startedAt, finishedAt: new Date().toISOString(), failures, partial }), null, 2)}\n`);
}

let broker: KafkaBroker | null = null;
let brokers = process.env.KAFKA_BROKERS ?? '';
if (!brokers) {
  process.stderr.write('bench: starting a Kafka broker for this run…\n');
  broker = await startKafka({ port: 0 });
  brokers = broker.brokers;
}

try {
  await part('producer', async () => [
    ...(await producerComparison(brokers, quick ? 50_000 : 200_000)),
    ...(await compressionComparison(brokers, quick ? 20_000 : 100_000)),
  ]);
  for (const m of integratedModules()) await part(m.name, () => m.run({ brokers, quick }));
  await part('coviews', () => coViewsBench({ brokers, quick }));
  await part('drills', async () => [
    ...(await collectorKillDrill(brokers)),
    ...(await consumerKillDrill(brokers, quick ? 3_000 : 50_000)),
    ...(await hostileDrill(brokers, quick ? 10_000 : 100_000)),
    ...(await sybilDrill(brokers)),
  ]);
  await part('soak', () => soakDrill(brokers, quick ? 60_000 : 600_000, quick ? 5_000 : 15_000));
  await part('broker-kill', async () =>
    broker
      ? brokerKillDrill(broker, quick ? 10_000 : 30_000)
      : [{ section: 'drills', measure: 'broker kill', value: Number.NaN, unit: '', note: 'skipped: KAFKA_BROKERS is external, unset it to let the bench start (and kill) its own broker' }],
  );
  await part('build', async () => [...(await siteBuild(1_000)), ...(quick ? [] : await siteBuild(10_000))]);
  // Its own part: on a busy machine the builds above can use most of a part's time limit.
  await part('loop', () => loopRows(brokers, quick));
  await part('page-weight', async () => {
    const dir = join(ASTRO_WORK, 'real');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await astroBuild(join(ROOT, 'data'), join(dir, 'dist'), join(dir, 'cache'), join(dir, 'no-popularity.json'));
    const result = pageWeightRows(join(dir, 'dist'));
    rmSync(dir, { recursive: true, force: true });
    return result;
  });
} finally {
  await broker?.close();
}

console.log(renderTable(rows));
for (const f of failures) console.error(`\nbench: ${f}`);
writeReport(false);
if (values.json) console.error(`bench: wrote ${values.json}`);
// Exit explicitly: a part that timed out may still hold sockets or timers open.
process.exit(rows.some((r) => r.ok === false) ? 1 : 0);
