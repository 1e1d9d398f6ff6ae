/**
 * `./hangar data <command>`:
 *   publish [--dry-run]   diff data/ against the last published digests and produce one event per
 *                         added, changed or removed aircraft or manufacturer on hangarstack.data.updates
 *                         (Kafka with KAFKA_BROKERS, else the embedded log .data/events.db)
 *   check                 the data check (scripts/data/check.ts)
 */
import { spawnSync } from 'node:child_process';
import { commandLine } from '@hangarstack/shared/command-line';
import { ConfigError } from '@hangarstack/shared';
import { describeUpdate, publishFromEnv } from '@hangarstack/collector/data-updates';

const USAGE = 'usage: ./hangar data publish [--dry-run] | ./hangar data check';
const { values, positionals } = commandLine(USAGE, { allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });

if (positionals[0] === 'check') {
  process.exit(spawnSync(process.execPath, ['scripts/data/check.ts'], { stdio: 'inherit' }).status ?? 1);
}
if (positionals[0] !== 'publish') {
  console.error(USAGE);
  process.exit(2);
}
try {
  const { updates, where } = await publishFromEnv(process.env, { dryRun: values['dry-run'] });
  for (const update of updates) console.log(describeUpdate(update));
  console.log(`${values['dry-run'] ? 'would publish' : 'published'} ${updates.length} data update(s) to ${where}`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(`data publish failed: ${(error as Error).message}`);
  process.exit(1);
}
