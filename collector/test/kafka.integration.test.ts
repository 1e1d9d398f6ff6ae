import { describe, expect, it } from 'vitest';
import { eventRecordSchema } from '@hangarstack/shared';
import { startKafka } from '@hangarstack/deploy/kafka';
import { kcatReadTopic, testKafkaBrokers, withoutBroker } from '@hangarstack/testing/kafka';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';
import { postBeacon, startCollectorProcess, viewBeacon } from './support/collector-process.ts';
import { fixtureAircraftDir } from './support/fixture-aircraft.ts';
import { freePort } from '@hangarstack/testing/free-port';

const brokers = testKafkaBrokers() ?? '';
const aircraft = ['concorde', 'boeing-747-400', 'airbus-a380'];

/** Every record kcat reads from the topic, validated against the record contract. */
function readRecords(kafka: string, topic: string) {
  return kcatReadTopic(kafka, topic).map((r) => ({ key: r.key, raw: r.payload ?? '', record: eventRecordSchema.parse(JSON.parse(r.payload ?? '')) }));
}

/** Reads the topic until it holds every expected id (spooled events drain within seconds). */
async function readUntilComplete(kafka: string, topic: string, expected: readonly string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = (() => {
      try {
        return readRecords(kafka, topic);
      } catch {
        return []; // the topic does not exist until the first record reaches it
      }
    })();
    const ids = new Set(records.map((r) => r.record.id));
    if (expected.every((id) => ids.has(id)) || Date.now() > deadline) return records;
    await new Promise((done) => setTimeout(done, 500));
  }
}

describe.skipIf(withoutBroker({ kcat: true }))('collector → real Kafka (read back with kcat)', () => {
  it('produces exactly what it acknowledged: same count, same ids, keyed by slug, no IP or user agent', async () => {
    const run = `${Date.now()}-${process.pid}`;
    const topics = { KAFKA_TOPIC_VIEWS: `it.views.${run}`, KAFKA_TOPIC_SEARCHES: `it.searches.${run}` };
    const collector = await startCollectorProcess(
      { KAFKA_BROKERS: brokers, AIRCRAFT_DATA_DIR: fixtureAircraftDir(aircraft), ...topics },
      await freePort(),
    );
    try {
      const acked: string[] = [];
      for (let i = 0; i < 30; i++) {
        const { ids, body } = viewBeacon(aircraft[i % 3] ?? 'concorde', 1 + (i % 10));
        const res = await postBeacon(collector.url, body);
        expect(res.status).toBe(202);
        acked.push(...ids);
      }
      const search = await postBeacon(
        collector.url,
        JSON.stringify({ v: 1, events: [{ type: 'search', id: `it-search-${run}`, ts: Date.now(), query: '  Big   JETS ', results: 2, clicked: 'airbus-a380' }] }),
      );
      expect(search.status).toBe(202);

      const views = await readUntilComplete(brokers, topics.KAFKA_TOPIC_VIEWS, acked);
      expect(views.map((v) => v.record.id).sort()).toEqual([...acked].sort());
      for (const v of views) {
        expect(v.key).toBe(v.record.type === 'view' ? v.record.aircraft : '');
        expect(v.raw).not.toContain('127.0.0.1');
        expect(v.raw).not.toContain(BROWSER_UA);
        expect(v.raw).not.toContain('Chrome');
      }
      const searches = await readUntilComplete(brokers, topics.KAFKA_TOPIC_SEARCHES, [`it-search-${run}`]);
      expect(searches.map((s) => [s.key, s.record.id])).toEqual([['big jets', `it-search-${run}`]]);
    } finally {
      expect(await collector.stop()).toBe(0);
    }
  });

  it('loses nothing it acknowledged while the broker is down: spooled, then drained once it is back', async () => {
    const broker = await startKafka({ port: 0, log: () => undefined });
    const topic = `it.outage.${Date.now()}`;
    const collector = await startCollectorProcess(
      { KAFKA_BROKERS: broker.brokers, AIRCRAFT_DATA_DIR: fixtureAircraftDir(aircraft), KAFKA_TOPIC_VIEWS: topic, KAFKA_TOPIC_SEARCHES: `${topic}.s` },
      await freePort(),
    );
    try {
      const acked: string[] = [];
      const refused: string[] = [];
      const postSome = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i++) {
          const { ids, body } = viewBeacon(aircraft[i % 3] ?? 'concorde', 5);
          const res = await postBeacon(collector.url, body);
          if (res.status === 202) acked.push(...ids);
          else refused.push(...ids);
        }
      };
      await postSome(10);
      await broker.stop();
      await postSome(10);
      await broker.restart();
      await postSome(10);

      const ids = (await readUntilComplete(broker.brokers, topic, acked)).map((r) => r.record.id);
      expect(refused).toEqual([]);
      // Every acknowledged event arrived; a batch that timed out during the outage may arrive
      // twice (same event id), which the consumer de-duplicates.
      expect(new Set(ids)).toEqual(new Set(acked));
      const metrics = await (await fetch(`${collector.url}/metrics`)).text();
      expect(metrics).toMatch(/hangar_collector_spool_depth_events 0/);
    } finally {
      await collector.stop();
      await broker.close();
    }
  }, 180_000);
});
