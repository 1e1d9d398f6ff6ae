import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import type { EventRecord } from '@hangarstack/shared';
import { describeWithBroker, testKafkaBrokers } from '@hangarstack/testing/kafka';
import { loadConsumerConfig } from '../src/consumer/config.ts';
import { createConsumer } from '../src/consumer/consumer.ts';
import type { StateStore } from '../src/consumer/state/sqlite-state-store.ts';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { createTopics, produceRecords, producer, waitForOffsets } from './support/consumer-process.ts';

const brokers = testKafkaBrokers() ?? '';

const view = (aircraft: string, who: string, n: number): EventRecord => {
  const at = Date.now() - 60_000;
  return { schema: 2, id: `dlq-${process.pid}-${String(n).padStart(10, '0')}`, type: 'view', aircraft, clientTs: at, receivedAt: at, visitor: who.padStart(32, '0'), origin: who.padStart(32, '0'), device: 'desktop' };
};

describeWithBroker('a batch that keeps failing (real broker)', () => {
  it('is retried, then its records go to the dead-letter topic with the reason, and the partition moves on', async () => {
    const run = Date.now();
    const topics = { views: `cit.dlq.${run}.views`, searches: `cit.dlq.${run}.searches` };
    // One partition, so the poisoned batch and the ones after it are in the same partition.
    await createTopics(brokers, [topics.views, topics.searches], 1);
    const dir = tempDir('consumer-dlq-');
    const config = loadConsumerConfig({
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_VIEWS: topics.views,
      KAFKA_TOPIC_SEARCHES: topics.searches,
      KAFKA_TOPIC_ACTIVITY: `cit.dlq.${run}.activity`,
      CONSUMER_GROUP: `cit-dlq-${run}`,
      CONSUMER_STATE_TOPIC: `cit.dlq.${run}.state`,
      CONSUMER_DEAD_LETTER_TOPIC: `cit.dlq.${run}.dead-letter`,
      CONSUMER_STATE_DIR: join(dir, 'state'),
      POPULARITY_FILE: join(dir, 'popularity.json'),
      PUBLISH_INTERVAL_MS: '50',
      BATCH_ATTEMPTS: '3',
      BATCH_RETRY_BASE_MS: '20',
      K_ANONYMITY: '1',
      REBUILD: 'off',
    });
    // Storing anything about `bell-x-1` (its slug's id, slug-dictionary.ts) fails, as a record that breaks the store would.
    const poison = Buffer.from('bell-x-1');
    const consumer = createConsumer(config, {
      log: pino({ level: 'silent' }),
      wrapStore: (store): StateStore => ({
        write: (rows, positions) => {
          if (rows.some((r) => (r.kind === 'views' || r.kind === 'slugs') && r.value && Buffer.from(r.value).includes(poison))) throw new Error('SQLITE_IOERR: disk I/O error');
          store.write(rows, positions);
        },
        rows: (partition) => store.rows(partition),
        position: (name) => store.position(name),
        close: () => store.close(),
      }),
    });
    const p = await producer(brokers);
    await consumer.start();
    try {
      await produceRecords(p, topics, [view('concorde', 'a', 1), view('concorde', 'b', 2)]);
      await waitForOffsets(config.popularityFile, 2n);

      await produceRecords(p, topics, [view('bell-x-1', 'c', 3), view('bell-x-1', 'd', 4), view('bell-x-1', 'e', 5)]);
      const letters = await readDeadLetters(config.deadLetterTopic, 3);
      expect(letters.map((l) => l.offset)).toEqual(['2', '3', '4']);
      expect(letters.every((l) => l.reason === 'failed 3 times: SQLITE_IOERR: disk I/O error')).toBe(true);
      expect(letters.map((l) => (JSON.parse(l.value) as EventRecord).id)).toEqual([3, 4, 5].map((n) => view('x', 'y', n).id));

      // The partition moved on: the next records are applied, the dead-lettered ones never were.
      await produceRecords(p, topics, [view('concorde', 'f', 6)]);
      await waitForOffsets(config.popularityFile, 6n);
      const popularity = readPopularityFile(config.popularityFile);
      expect(popularity?.aircraft.concorde?.views.h24).toBe(3);
      expect(popularity?.aircraft['bell-x-1']).toBeUndefined();
      const metrics = await (await consumer.app.request('/metrics')).text();
      expect(metrics).toContain(`hangar_consumer_dead_lettered_total{topic="${topics.views}"} 3`);
      expect(metrics).toMatch(new RegExp(`hangar_consumer_batch_failures_total\\{topic="${topics.views.replaceAll('.', '\\.')}"\\} [3-9]`));
    } finally {
      await p.disconnect();
      await consumer.stop();
    }
  }, 120_000);
});

/** Reads `count` records of the dead-letter topic with a client of its own. */
async function readDeadLetters(topic: string, count: number): Promise<{ offset: string; reason: string; value: string }[]> {
  const kafka = new Kafka({ clientId: 'cit-dlq-reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const reader = kafka.consumer({ groupId: `cit-dlq-reader-${Date.now()}` });
  const found: { offset: string; reason: string; value: string }[] = [];
  const deadline = Date.now() + 60_000;
  // The topic exists once the first dead letter was produced.
  const admin = kafka.admin();
  await admin.connect();
  while (!(await admin.listTopics()).includes(topic)) {
    if (Date.now() > deadline) throw new Error(`no dead-letter topic ${topic} within 60 s`);
    await new Promise((done) => setTimeout(done, 200));
  }
  await admin.disconnect();
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      found.push({ offset: String(message.headers?.['source-offset']), reason: String(message.headers?.reason), value: message.value?.toString('utf8') ?? '' });
    },
  });
  while (found.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${found.length} of ${count} dead letters within 60 s`);
    await new Promise((done) => setTimeout(done, 100));
  }
  await reader.disconnect();
  return found;
}
