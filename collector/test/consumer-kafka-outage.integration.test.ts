import { describe, expect, it } from 'vitest';
import { startKafka } from '@hangarstack/deploy/kafka';
import { createTestTopic, testKafkaBrokers } from '@hangarstack/testing/kafka';
import { runEventsCommand } from '../src/transport/system-events/cli.ts';
import { consumerDirs, startConsumerProcess } from './support/consumer-process.ts';

/** Waits until one of `lines` matches, or fails naming what it waited for. */
async function waitForLine(lines: readonly string[], pattern: RegExp, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!lines.some((l) => pattern.test(l))) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; the consumer said:\n${lines.slice(-30).join('\n')}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/**
 * The consumer reports its own Kafka outages on hangarstack.system.events, as the collector does:
 * a broker of its own is stopped under a running consumer (the shared test broker cannot be), then
 * started again on the same data and port.
 */
describe.skipIf(!testKafkaBrokers())('consumer: a broker that goes away and comes back', () => {
  it('emits kafka.lost during the outage and kafka.restored after it, and `./hangar events` shows both from Kafka', async () => {
    const broker = await startKafka({ port: 0, log: () => undefined });
    const run = `${Date.now()}-${process.pid}`;
    const systemTopic = `it.outage-events.${run}`;
    await createTestTopic(broker.brokers, systemTopic);
    const lines: string[] = [];
    const consumer = await startConsumerProcess(
      {
        KAFKA_BROKERS: broker.brokers,
        KAFKA_TOPIC_VIEWS: `it.outage-views.${run}`,
        KAFKA_TOPIC_SEARCHES: `it.outage-searches.${run}`,
        KAFKA_TOPIC_SYSTEM_EVENTS: systemTopic,
        CONSUMER_GROUP: `it-outage-${run}`,
        LOG_LEVEL: 'info',
        ...(() => {
          const dirs = consumerDirs();
          return { POPULARITY_FILE: dirs.popularityFile, CONSUMER_STATE_DIR: dirs.stateDir };
        })(),
      },
      undefined,
      (line) => lines.push(line),
    );
    try {
      await waitForLine(lines, /"msg":"consuming"/, 'start', 60_000);
      expect(lines.some((l) => l.includes('kafka.lost'))).toBe(false);
      await broker.stop();
      // Reported while the broker is still down (logged at once; queued for the topic).
      await waitForLine(lines, /"systemEvent":"kafka\.lost"/, 'kafka.lost', 90_000);
      expect(lines.some((l) => l.includes('"systemEvent":"kafka.restored"'))).toBe(false);
      await broker.restart();
      await waitForLine(lines, /"systemEvent":"kafka\.restored"/, 'kafka.restored', 120_000);

      const printed: string[] = [];
      await expect
        .poll(async () => {
          printed.length = 0;
          await runEventsCommand(['--since', '10m'], { KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_SYSTEM_EVENTS: systemTopic }, (line) => printed.push(line));
          return printed.filter((l) => /kafka\.(lost|restored)/.test(l));
        }, { timeout: 30_000, interval: 1_000 })
        .toEqual([expect.stringMatching(/consumer\s+ERROR kafka\.lost\s+error="/), expect.stringMatching(/consumer\s+INFO\s+kafka\.restored\s+downMs=\d+/)]);
    } finally {
      await consumer.stop();
      await broker.close();
    }
  }, 360_000);
});
