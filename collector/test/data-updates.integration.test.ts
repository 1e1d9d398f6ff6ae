import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataUpdateSchema } from '@hangarstack/shared';
import { freePort } from '@hangarstack/testing/free-port';
import { kcatReadTopic, testKafkaBrokers, withoutBroker } from '@hangarstack/testing/kafka';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { publishFromEnv } from '../src/transport/data-updates/publish-env.ts';
import { postBeacon, startCollectorProcess, viewBeacon } from './support/collector-process.ts';

const brokers = testKafkaBrokers() ?? '';

/** A data dir as data/ is laid out, with minimal records (the publish digests whatever is there). */
function dataDir(aircraft: readonly string[], manufacturers: readonly string[]): string {
  const dir = tempDir('data-updates-');
  mkdirSync(join(dir, 'aircraft'));
  mkdirSync(join(dir, 'manufacturers'));
  for (const slug of aircraft) writeFileSync(join(dir, 'aircraft', `${slug}.json`), JSON.stringify({ slug, name: slug, maxSpeedKmh: 900 }));
  for (const slug of manufacturers) writeFileSync(join(dir, 'manufacturers', `${slug}.json`), JSON.stringify({ slug, name: slug }));
  return dir;
}

let stopCollector: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stopCollector?.();
  stopCollector = undefined;
});

/** Runs the same scenario on either transport: publish → edit → publish, and a collector that follows. */
async function scenario(env: Record<string, string>) {
  const dir = dataDir(['concorde', 'boeing-747-400'], ['boeing']);
  const publishEnv = { ...env, HANGAR_DATA_DIR: dir };
  const first = await publishFromEnv(publishEnv);
  expect(first.updates.map((u) => `${u.change} ${u.kind}:${u.slug}`)).toEqual(['added aircraft:boeing-747-400', 'added aircraft:concorde', 'added manufacturer:boeing']);
  expect((await publishFromEnv(publishEnv)).updates).toEqual([]);

  const collector = await startCollectorProcess({ ...env, AIRCRAFT_DATA_DIR: join(dir, 'aircraft') }, await freePort());
  stopCollector = () => collector.stop();
  const unknown = await postBeacon(collector.url, viewBeacon('airbus-a380', 1).body);
  expect(unknown.status).toBe(400);
  expect(await unknown.text()).toContain('no aircraft \\"airbus-a380\\"');

  // Save a new record, change one, remove one, publish: the running collector follows.
  writeFileSync(join(dir, 'aircraft', 'airbus-a380.json'), JSON.stringify({ slug: 'airbus-a380', name: 'A380', maxSpeedKmh: 1020 }));
  writeFileSync(join(dir, 'aircraft', 'concorde.json'), JSON.stringify({ slug: 'concorde', name: 'concorde', maxSpeedKmh: 2179 }));
  rmSync(join(dir, 'aircraft', 'boeing-747-400.json'));
  const second = await publishFromEnv(publishEnv);
  expect(second.updates.map((u) => ({ change: u.change, key: `${u.kind}:${u.slug}`, fields: u.fields }))).toEqual([
    { change: 'added', key: 'aircraft:airbus-a380', fields: ['maxSpeedKmh', 'name', 'slug'] },
    { change: 'removed', key: 'aircraft:boeing-747-400', fields: [] },
    { change: 'changed', key: 'aircraft:concorde', fields: ['maxSpeedKmh'] },
  ]);
  await expect.poll(async () => (await postBeacon(collector.url, viewBeacon('airbus-a380', 1).body)).status, { timeout: 20_000, interval: 250 }).toBe(202);
  await expect.poll(async () => (await postBeacon(collector.url, viewBeacon('boeing-747-400', 1).body)).status, { timeout: 20_000, interval: 250 }).toBe(400);
  return dir;
}

describe('data updates (./hangar data publish) and the collector following them', () => {
  it('embedded log: diffs against what was published, and the collector accepts a new slug and rejects a removed one without a restart', async () => {
    const state = tempDir('data-updates-embedded-');
    // KAFKA_BROKERS empty: the collector must not inherit a broker from the test's environment.
    await scenario({ EMBEDDED_LOG_PATH: join(state, 'events.db'), KAFKA_BROKERS: '' });
  }, 60_000);

  it.skipIf(withoutBroker({ kcat: true }))('Kafka: the same, with the events keyed kind:slug on the topic (read back with kcat)', async () => {
    const topic = `it.data-updates.${Date.now()}-${process.pid}`;
    await scenario({ KAFKA_BROKERS: brokers, KAFKA_TOPIC_DATA_UPDATES: topic, KAFKA_TOPIC_SYSTEM_EVENTS: `${topic}.system` });
    const records = kcatReadTopic(brokers, topic);
    expect(records).toHaveLength(6);
    for (const record of records) {
      const update = dataUpdateSchema.parse(JSON.parse(record.payload ?? ''));
      expect(record.key).toBe(`${update.kind}:${update.slug}`);
    }
    // System events are at-least-once (a write that timed out is retried): count distinct ids.
    const system = new Map(kcatReadTopic(brokers, `${topic}.system`).map((r) => JSON.parse(r.payload ?? '') as { id: string; type: string; detail: { changes: number } }).map((e) => [e.id, e]));
    const published = [...system.values()].filter((e) => e.type === 'data.published');
    expect(published.map((e) => e.detail.changes)).toEqual([3, 3]);
  }, 90_000);
});
