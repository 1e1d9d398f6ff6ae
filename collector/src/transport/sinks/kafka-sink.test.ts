import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createCollectorMetrics } from '../../ingest/metrics.ts';
import { KafkaSink } from './kafka-sink.ts';
import { Spool } from './spool.ts';
import { SinkUnavailableError, type LogRecord, type ProducerPort } from './types.ts';

/** A producer that acknowledges into `acked`, or fails while `down` is set. */
class FakeProducer implements ProducerPort {
  acked: LogRecord[] = [];
  down = false;
  async connect(): Promise<void> {
    if (this.down) throw new Error('connection refused');
  }
  async send(records: readonly LogRecord[]): Promise<void> {
    if (this.down) throw new Error('broker not available');
    this.acked.push(...records);
  }
  async disconnect(): Promise<void> {}
}

const record = (i: number): LogRecord => ({ topic: 'views', key: `k${i % 3}`, value: `{"seq":${i}}` });
const batching = { lingerMs: 1, maxRecords: 50, maxPending: 1_000 };

function setup(maxBytes = 1_000_000) {
  const producer = new FakeProducer();
  const spool = new Spool(mkdtempSync(join(tmpdir(), 'spool-')), maxBytes);
  const metrics = createCollectorMetrics();
  const sink = new KafkaSink(producer, spool, metrics, pino({ level: 'silent' }), { batching, drainIntervalMs: 60_000 });
  return { producer, spool, metrics, sink };
}

describe('KafkaSink', () => {
  it('reports kafka.lost, spool.engaged, kafka.restored and spool.drained once per episode, in that order', async () => {
    const producer = new FakeProducer();
    const spool = new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 1_000_000);
    const events: string[] = [];
    const sink = new KafkaSink(producer, spool, createCollectorMetrics(), pino({ level: 'silent' }), {
      batching,
      drainIntervalMs: 60_000,
      systemEvents: (type) => events.push(type),
    });
    sink.start();
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
    sink.start();
    await Promise.all(Array.from({ length: 10 }, (_, i) => sink.send([record(i)])));
    expect(producer.acked.map((r) => r.value)).toEqual(Array.from({ length: 10 }, (_, i) => `{"seq":${i}}`));
    await sink.close();
  });

  it('spools while Kafka is down (still resolving), then drains in order without loss', async () => {
    const { producer, spool, sink, metrics } = setup();
    sink.start();
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
    sink.start();
    await sink.send([record(1)]);
    await expect(sink.send([record(2), record(3)])).rejects.toBeInstanceOf(SinkUnavailableError);
    expect(sink.ready().ok).toBe(false);
    await sink.close();
  });

  it('keeps spooled events across a restart and sends them when Kafka answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-'));
    const first = new FakeProducer();
    first.down = true;
    const log = pino({ level: 'silent' });
    const sinkA = new KafkaSink(first, new Spool(dir, 1_000_000), createCollectorMetrics(), log, { batching, drainIntervalMs: 60_000 });
    sinkA.start();
    await sinkA.send([record(1), record(2)]);
    await sinkA.close();

    const second = new FakeProducer();
    const sinkB = new KafkaSink(second, new Spool(dir, 1_000_000), createCollectorMetrics(), log, { batching, drainIntervalMs: 60_000 });
    sinkB.start();
    await sinkB.drainSpool();
    expect(second.acked.map((r) => r.value)).toEqual(['{"seq":1}', '{"seq":2}']);
    await sinkB.close();
  });
});
