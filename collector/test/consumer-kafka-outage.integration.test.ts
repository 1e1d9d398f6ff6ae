import { expect, it } from 'vitest';
import { startKafka } from '@hangarstack/deploy/kafka';
import { createTestTopic, describeWithBroker } from '@hangarstack/testing/kafka';
import { runEventsCommand } from '../src/transport/system-events/cli.ts';
import { consumerDirs } from './support/consumer-dirs.ts';
import { startConsumerProcess } from './support/consumer-process.ts';

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
describeWithBroker('consumer: a broker that goes away and comes back', () => {
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
      // Stopped while it restores its first assignment, a member exits by design (a restore that
      // failed): the outage under test starts once it holds its partitions.
      await expect
        .poll(async () => ((await (await fetch(`${consumer.url}/healthz`)).json()) as { partitions: string[] }).partitions.length, { timeout: 60_000, interval: 250 })
        .toBeGreaterThan(0);
      expect(lines.some((l) => l.includes('kafka.lost'))).toBe(false);
      await broker.stop();
      // Reported while the broker is still down (logged at once; queued for the topic).
      await waitForLine(lines, /"systemEvent":"kafka\.lost"/, 'kafka.lost', 120_000);
      expect(lines.some((l) => l.includes('"systemEvent":"kafka.restored"'))).toBe(false);
      await broker.restart();
      await waitForLine(lines, /"systemEvent":"kafka\.restored"/, 'kafka.restored', 120_000);

      // System events are at-least-once (a write that timed out under load is retried): readers
      // de-duplicate by id, and so does this check.
      const read = async (args: string[]): Promise<string[]> => {
        const out: string[] = [];
        await runEventsCommand(['--since', '10m', ...args], { KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_SYSTEM_EVENTS: systemTopic }, (line) => out.push(line));
        return out;
      };
      await expect
        .poll(async () => {
          const events = (await read(['--json'])).map((line) => JSON.parse(line) as { id: string; service: string; type: string });
          const unique = [...new Map(events.map((e) => [e.id, e])).values()];
          return unique.filter((e) => e.type.startsWith('kafka.')).map((e) => `${e.service} ${e.type}`);
        }, { timeout: 30_000, interval: 1_000 })
        .toEqual(['consumer kafka.lost', 'consumer kafka.restored']);
      const printed = (await read([])).join('\n');
      expect(printed).toMatch(/consumer\s+ERROR kafka\.lost\s+error="/);
      expect(printed).toMatch(/consumer\s+INFO\s+kafka\.restored\s+downMs=\d+/);
    } finally {
      await consumer.stop();
      await broker.close();
    }
  }, 420_000);
});
