import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SystemEventType } from '@hangarstack/shared';
import { KafkaHealth } from './kafka-health.ts';

describe('KafkaHealth', () => {
  it('reports one kafka.lost per outage, however many clients fail, and one kafka.restored with how long it lasted', () => {
    const emitted: [SystemEventType, unknown][] = [];
    let now = 1_000;
    const health = new KafkaHealth((type, detail) => void emitted.push([type, detail]), pino({ level: 'silent' }), () => now);
    health.ok(); // nothing was down: nothing to restore
    health.lost(new Error('connect ECONNREFUSED 127.0.0.1:9092'));
    now = 4_000;
    health.lost(new Error('The group coordinator is not available')); // the same outage, seen by another client
    expect(health.down).toBe(true);
    now = 31_000;
    health.ok();
    health.ok();
    expect(emitted).toEqual([
      ['kafka.lost', { error: 'connect ECONNREFUSED 127.0.0.1:9092' }],
      ['kafka.restored', { downMs: 30_000 }],
    ]);
    health.lost('a second outage');
    expect(emitted.at(-1)).toEqual(['kafka.lost', { error: 'a second outage' }]);
  });
});
