import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SystemEventType } from '@hangarstack/shared';
import { KafkaHealth } from './kafka-health.ts';

describe('KafkaHealth', () => {
  it('reports one kafka.lost per outage, however many clients fail, and one kafka.restored once Kafka has answered for the settle time', () => {
    const emitted: [SystemEventType, unknown][] = [];
    let now = 1_000;
    const health = new KafkaHealth((type, detail) => void emitted.push([type, detail]), pino({ level: 'silent' }), { now: () => now, settleMs: 10_000 });
    health.ok(); // nothing was down: nothing to restore
    health.lost(new Error('connect ECONNREFUSED 127.0.0.1:9092'));
    now = 4_000;
    health.lost(new Error('The group coordinator is not available')); // the same outage, seen by another client
    expect(health.down).toBe(true);
    now = 31_000;
    health.ok(); // answering again…
    now = 35_000;
    health.lost(new Error('The group coordinator is not available')); // …but not settled: the same outage
    now = 36_000;
    health.ok();
    now = 45_999;
    health.ok();
    expect(emitted.map(([type]) => type)).toEqual(['kafka.lost']);
    now = 46_000;
    health.ok(); // answering for 10 s since 36 s
    health.ok();
    expect(emitted).toEqual([
      ['kafka.lost', { error: 'connect ECONNREFUSED 127.0.0.1:9092' }],
      ['kafka.restored', { downMs: 35_000 }],
    ]);
    health.lost('a second outage');
    expect(emitted.at(-1)).toEqual(['kafka.lost', { error: 'a second outage' }]);
  });
});
