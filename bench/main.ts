/**
 * `./hangar bench [--quick] [--json PATH] [--only PART,…]`: every benchmark and fault drill of
 * issue 9 against a real broker, printed as one table; `--json PATH` also writes the rows. Each
 * figure is a ratio against a baseline measured in the same run, or a count. A part that throws
 * becomes a FAIL row and the others still run; the exit code is 1 when any row failed its target.
 *
 * Broker: KAFKA_BROKERS when set (the broker-kill drill then skips: it cannot kill a broker it
 * did not start), else one started with deploy/kafka/launcher.ts for this run, when the first
 * part that uses Kafka runs (src/parts.ts runs the others first).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKafka } from '@hangarstack/deploy/kafka';
import { usageExit } from '@hangarstack/shared/command-line';
import { parseBenchArgs } from './src/args.ts';
import { benchParts, type BenchPart, type KafkaContext } from './src/parts.ts';
import { benchReport, renderTable, type BenchRow } from './src/table.ts';

const parts = benchParts();
const args = (() => {
  try {
    return parseBenchArgs(process.argv.slice(2), parts.map((p) => p.name));
  } catch (error) {
    process.exit(usageExit(error));
  }
})();
const { quick } = args;

const rows: BenchRow[] = [];
const failures: string[] = [];
const startedAt = new Date().toISOString();

/** A part that hangs must not hold the table back: it becomes a FAIL row after this long. */
const PART_LIMIT_MS = quick ? 240_000 : 1_800_000;

/** The broker, started once, by the first part that uses Kafka. */
let kafka: Promise<KafkaContext> | undefined;
function kafkaContext(): Promise<KafkaContext> {
  kafka ??= (async () => {
    const external = process.env.KAFKA_BROKERS;
    if (external) return { brokers: external, broker: null };
    process.stderr.write('bench: starting a Kafka broker for this run…\n');
    const broker = await startKafka({ port: 0 });
    return { brokers: broker.brokers, broker };
  })();
  return kafka;
}

async function runPart(part: BenchPart): Promise<void> {
  const { name } = part;
  const start = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not finish within ${PART_LIMIT_MS / 1000} s`)), PART_LIMIT_MS);
  });
  try {
    // A broker that cannot start fails each part that needs it, with its reason; the others still ran.
    const run = part.kafka ? kafkaContext().then((context) => part.run(quick, context)) : part.run(quick);
    rows.push(...(await Promise.race([run, limit])));
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
  if (!args.json) return;
  if (!existsSync(join(args.json, '..'))) mkdirSync(join(args.json, '..'), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify(benchReport(rows, { quick, startedAt, finishedAt: new Date().toISOString(), failures, partial }), null, 2)}\n`);
}

try {
  for (const part of parts) if (!args.only || args.only.includes(part.name)) await runPart(part);
} finally {
  await (await kafka?.catch(() => undefined))?.broker?.close();
}

console.log(renderTable(rows));
for (const f of failures) console.error(`\nbench: ${f}`);
writeReport(false);
if (args.json) console.error(`bench: wrote ${args.json}`);
process.exit(rows.some((r) => r.ok === false) ? 1 : 0);
