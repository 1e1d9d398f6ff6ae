import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '@hangarstack/shared';
import { kcatAvailable, kcatReadTopic, testKafkaBrokers } from '@hangarstack/testing/kafka';

const brokers = testKafkaBrokers() ?? '';

// Proves the harness, not the product: what an idempotent kafkajs producer wrote with acks=all
// is exactly what an independent client (kcat) reads back from the real broker.
describe.skipIf(brokers === '' || !kcatAvailable())('Kafka harness round trip (real broker, kcat)', () => {
  it('reads back, with kcat, every record a kafkajs idempotent producer wrote', async () => {
    const kafka = new Kafka({ clientId: 'roundtrip-test', brokers: [brokers], logLevel: logLevel.ERROR });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPICS.views, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const run = randomUUID();
    const records = Array.from({ length: 50 }, (_, i) => ({
      key: `aircraft-${i % 7}`,
      value: JSON.stringify({ run, seq: i }),
    }));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const acks = await producer.send({ topic: TOPICS.views, acks: -1, messages: records });
    await producer.disconnect();
    expect(acks.every((ack) => ack.errorCode === 0)).toBe(true);

    const read = kcatReadTopic(brokers, TOPICS.views)
      .filter((r) => r.payload !== null && (JSON.parse(r.payload) as { run?: string }).run === run)
      .map((r) => ({ key: r.key, value: r.payload, partition: r.partition }));

    expect(read).toHaveLength(records.length);
    expect(new Set(read.map((r) => r.value))).toEqual(new Set(records.map((r) => r.value)));
    // Keyed records of one aircraft share one partition, in the order they were sent.
    for (const key of new Set(records.map((r) => r.key))) {
      const ofKey = read.filter((r) => r.key === key);
      expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
      const seqs = ofKey.map((r) => (JSON.parse(r.value ?? '') as { seq: number }).seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});
