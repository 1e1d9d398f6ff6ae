import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { createCollectorMetrics } from '../../ingest/metrics.ts';
import { KafkaSink } from './kafka-sink.ts';
import { Spool } from './spool.ts';
import { partitionForKey } from './partitioner.ts';
import { SinkUnavailableError, type LogRecord, type PartitionedRecord, type ProducerPort } from './types.ts';

/** A producer that acknowledges into `acked`, or fails while `down` is set; `gate` holds its sends. */
class FakeProducer implements ProducerPort {
  acked: PartitionedRecord[] = [];
  down = false;
  inFlight = 0;
  maxInFlight = 0;
  gate: Promise<void> | undefined;
  readonly partitions: number;
  constructor(partitions = 3) {
    this.partitions = partitions;
  }
  async connect(): Promise<void> {
    if (this.down) throw new Error('connection refused');
  }
  async partitionCount(): Promise<number> {
    return this.partitions;
  }
  async send(records: readonly PartitionedRecord[]): Promise<void> {
    if (this.down) throw new Error('broker not available');
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await this.gate;
    this.inFlight--;
    this.acked.push(...records);
  }
  async disconnect(): Promise<void> {}
}

const record = (i: number): LogRecord => ({ topic: 'views', key: `k${i % 3}`, value: `{"seq":${i}}` });
const batching = { lingerMs: 1, maxRecords: 50, maxPending: 1_000 };

function setup(maxBytes = 1_000_000) {
  const producer = new FakeProducer();
  const spool = new Spool(tempDir('spool-'), maxBytes);
  const metrics = createCollectorMetrics();
  const sink = new KafkaSink([producer], spool, metrics, pino({ level: 'silent' }), { batching, topics: ['views'], drainIntervalMs: 60_000 });
  return { producer, spool, metrics, sink };
}

describe('KafkaSink', () => {
  it('reports kafka.lost, spool.engaged, kafka.restored and spool.drained once per episode, in that order', async () => {
    const producer = new FakeProducer();
    const spool = new Spool(tempDir('spool-'), 1_000_000);
    const events: string[] = [];
    const sink = new KafkaSink([producer], spool, createCollectorMetrics(), pino({ level: 'silent' }), {
      batching,
      topics: ['views'],
      drainIntervalMs: 60_000,
      systemEvents: (type) => events.push(type),
    });
    await sink.start();
    await sink.send([record(0)]);
    producer.down = true;
    for (let i = 1; i <= 3; i++) await sink.send([record(i)]);
    expect(events).toEqual(['kafka.lost', 'spool.engaged']);
    producer.down = false;
    await sink.drainSpool();
    await sink.drainSpool();
    expect(events).toEqual(['kafka.lost', 'spool.engaged', 'kafka.restored', 'spool.drained']);
    await sink.close();
  });

  it('sends micro-batches to Kafka and resolves once acknowledged', async () => {
    const { producer, sink } = setup();
    await sink.start();
    await Promise.all(Array.from({ length: 10 }, (_, i) => sink.send([record(i)])));
    expect(producer.acked.map((r) => r.value)).toEqual(Array.from({ length: 10 }, (_, i) => `{"seq":${i}}`));
    await sink.close();
  });

  it('spools while Kafka is down (still resolving), then drains in order without loss', async () => {
    const { producer, spool, sink, metrics } = setup();
    await sink.start();
    await sink.send([record(0)]);
    producer.down = true;
    for (let i = 1; i <= 5; i++) await sink.send([record(i)]);
    expect(spool.depth).toBe(5);
    expect(sink.ready().ok).toBe(true);
    expect(await metrics.registry.getSingleMetricAsString('hangar_collector_spool_depth_events')).toContain(' 5');

    producer.down = false;
    await sink.send([record(6)]); // queued behind the spool, not ahead of it
    await sink.drainSpool();
    expect(spool.depth).toBe(0);
    expect(producer.acked.map((r) => r.value)).toEqual(Array.from({ length: 7 }, (_, i) => `{"seq":${i}}`));
    await sink.close();
  });

  it('refuses with SinkUnavailableError when Kafka is down and the spool is full', async () => {
    const { producer, sink } = setup(17);
    producer.down = true;
    await sink.start();
    await sink.send([record(1)]);
    await expect(sink.send([record(2), record(3)])).rejects.toBeInstanceOf(SinkUnavailableError);
    expect(sink.ready().ok).toBe(false);
    await sink.close();
  });

  it('keeps spooled events across a restart and sends them when Kafka answers', async () => {
    const dir = tempDir('spool-');
    const first = new FakeProducer();
    first.down = true;
    const log = pino({ level: 'silent' });
    const sinkA = new KafkaSink([first], new Spool(dir, 1_000_000), createCollectorMetrics(), log, { batching, topics: ['views'], drainIntervalMs: 60_000 });
    await sinkA.start();
    await sinkA.send([record(1), record(2)]);
    await sinkA.close();

    const second = new FakeProducer();
    const sinkB = new KafkaSink([second], new Spool(dir, 1_000_000), createCollectorMetrics(), log, { batching, topics: ['views'], drainIntervalMs: 60_000 });
    await sinkB.start();
    await sinkB.drainSpool();
    expect(second.acked.map((r) => r.value)).toEqual(['{"seq":1}', '{"seq":2}']);
    await sinkB.close();
  });

  describe('with several producers', () => {
    const keyed = (i: number): LogRecord => ({ topic: 'views', key: `aircraft-${i % 12}`, value: `{"seq":${i}}` });

    function lanes(count: number, partitions = 6) {
      const producers = Array.from({ length: count }, () => new FakeProducer(partitions));
      const spool = new Spool(tempDir('spool-'), 1_000_000);
      const sink = new KafkaSink(producers, spool, createCollectorMetrics(), pino({ level: 'silent' }), { batching, topics: ['views'], drainIntervalMs: 60_000 });
      return { producers, spool, sink };
    }

    it("gives each partition to one producer, in Kafka's own key → partition mapping", async () => {
      const { producers, sink } = lanes(3);
      await sink.start();
      await Promise.all(Array.from({ length: 60 }, (_, i) => sink.send([keyed(i)])));
      const owner = new Map<number, number>();
      producers.forEach((p, lane) => {
        for (const r of p.acked) {
          expect(r.partition).toBe(partitionForKey(r.key, 6));
          expect(owner.get(r.partition) ?? lane).toBe(lane);
          owner.set(r.partition, lane);
        }
      });
      expect(producers.every((p) => p.acked.length > 0)).toBe(true);
      expect(producers.reduce((n, p) => n + p.acked.length, 0)).toBe(60);
      await sink.close();
    });

    it('overlaps the producers’ acknowledgements, one request in flight per producer', async () => {
      const { producers, sink } = lanes(3);
      let release = () => {};
      const gate = new Promise<void>((done) => (release = done));
      for (const p of producers) p.gate = gate;
      await sink.start();
      const sent = Promise.all(Array.from({ length: 60 }, (_, i) => sink.send([keyed(i)])));
      await new Promise((done) => setTimeout(done, 50));
      // All three are waiting for Kafka at the same time; none has a second request out.
      expect(producers.map((p) => p.inFlight)).toEqual([1, 1, 1]);
      release();
      await sent;
      expect(producers.map((p) => p.maxInFlight)).toEqual([1, 1, 1]);
      await sink.close();
    });

    it('keeps per-key order, and answers a beacon spanning producers only when all acknowledged', async () => {
      const { producers, sink } = lanes(2);
      await sink.start();
      // Beacon i carries seq i and seq 1000 + i, usually for keys owned by different producers.
      await Promise.all(Array.from({ length: 40 }, (_, i) => sink.send([keyed(i), keyed(1000 + i)])));
      expect(producers.flatMap((p) => p.acked)).toHaveLength(80);
      const sendOrder = (a: number, b: number) => (a % 1000) - (b % 1000) || a - b;
      for (let k = 0; k < 12; k++) {
        const seqsIn = (p: FakeProducer) => p.acked.filter((r) => r.key === `aircraft-${k}`).map((r) => (JSON.parse(r.value) as { seq: number }).seq);
        const owners = producers.filter((p) => seqsIn(p).length > 0);
        expect(owners).toHaveLength(1);
        const seqs = seqsIn(owners[0] as FakeProducer);
        expect(seqs).toEqual([...seqs].sort(sendOrder));
      }
      await sink.close();
    });

    it('spools behind a failed producer and drains through the owning producers, in order', async () => {
      const { producers, spool, sink } = lanes(2);
      await sink.start();
      await sink.send([keyed(0)]);
      for (const p of producers) p.down = true;
      for (let i = 1; i <= 10; i++) await sink.send([keyed(i)]);
      expect(spool.depth).toBe(10);
      for (const p of producers) p.down = false;
      await sink.drainSpool();
      expect(spool.depth).toBe(0);
      const seqs = producers.flatMap((p) => p.acked).map((r) => (JSON.parse(r.value) as { seq: number }).seq);
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
      producers.forEach((p) => {
        for (const r of p.acked) expect(r.partition % 2).toBe(producers.indexOf(p));
        const own = p.acked.map((r) => (JSON.parse(r.value) as { seq: number }).seq);
        expect(own).toEqual([...own].sort((a, b) => a - b));
      });
      await sink.close();
    });
  });
});
