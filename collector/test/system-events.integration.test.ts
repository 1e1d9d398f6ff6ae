import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { systemEventSchema } from '@hangarstack/shared';
import { kcatReadTopic, testKafkaBrokers, withoutBroker } from '@hangarstack/testing/kafka';
import { runEventsCommand } from '../src/transport/system-events/cli.ts';
import { SystemEvents, kafkaSystemEventWriter } from '../src/transport/system-events/emitter.ts';

const brokers = testKafkaBrokers() ?? '';

describe.skipIf(withoutBroker({ kcat: true }))('system events on a real broker', () => {
  it('are produced keyed by service, valid against the schema (read back with kcat), and `./hangar events` prints them from Kafka', async () => {
    const topic = `it.system-events.${Date.now()}-${process.pid}`;
    const connection = { brokers: brokers.split(','), clientId: 'sysevents-it', ssl: false as const };
    // One partition, as deploy/kafka/topics.json gives the real topic: one total order to print.
    const admin = new Kafka({ clientId: 'sysevents-it-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const events = new SystemEvents({ service: 'collector', topic, writer: kafkaSystemEventWriter(connection), log: pino({ level: 'silent' }) });
    events.emit('started', { version: 'it', mode: 'kafka', config: { port: 8787, 'kafka.sasl': '[redacted]' } });
    events.emit('kafka.lost', { error: 'connect ECONNREFUSED 127.0.0.1:1' });
    events.emitAs('rebuilder')('rebuild.failed', { durationMs: 42, error: 'exit 1: boom' });
    await events.close(10_000);

    const records = kcatReadTopic(brokers, topic);
    expect(records.map((r) => r.key)).toEqual(['collector', 'collector', 'rebuilder']);
    expect(records.map((r) => systemEventSchema.parse(JSON.parse(r.payload ?? '')).type)).toEqual(['started', 'kafka.lost', 'rebuild.failed']);

    const lines: string[] = [];
    const code = await runEventsCommand(['--since', '10m'], { KAFKA_BROKERS: brokers, KAFKA_TOPIC_SYSTEM_EVENTS: topic }, (line) => lines.push(line));
    expect(code).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/collector\s+INFO\s+started\s+version="it" mode="kafka" config=\{port=8787 kafka\.sasl=\[redacted\]\}/);
    expect(lines[2]).toMatch(/rebuilder\s+ERROR rebuild\.failed\s+durationMs=42 error="exit 1: boom"/);

    // --since in the future: the timestamp seek skips everything.
    const later: string[] = [];
    await runEventsCommand(['--since', new Date(Date.now() + 3_600_000).toISOString()], { KAFKA_BROKERS: brokers, KAFKA_TOPIC_SYSTEM_EVENTS: topic }, (line) => later.push(line));
    expect(later).toEqual([]);
  }, 60_000);
});
