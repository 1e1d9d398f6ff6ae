import { describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '@hangarstack/testing/promtool';
import { createConsumerMetrics } from '../consumer/metrics.ts';
import { post, testApp } from '../../test/support/ingest.ts';

describe('metrics exposition', () => {
  it('the collector passes promtool check metrics after real traffic', async () => {
    const { app } = testApp();
    await app.request('/v1/events', post(JSON.stringify({ v: 1, events: [{ type: 'view', id: 'abcdefghijklmnop1', ts: Date.now(), aircraft: 'concorde' }] })));
    await app.request('/v1/events', post('{broken'));
    const text = await (await app.request('/metrics')).text();
    expect(promtoolCheckMetrics(text)).toEqual([]);
  });

  it('the consumer passes promtool check metrics', async () => {
    const metrics = createConsumerMetrics();
    metrics.processed.inc({ topic: 'hangarstack.aircraft.views' }, 3);
    metrics.lag.set({ topic: 'hangarstack.aircraft.views', partition: '0' }, 0);
    expect(promtoolCheckMetrics(await metrics.registry.metrics())).toEqual([]);
  });
});
