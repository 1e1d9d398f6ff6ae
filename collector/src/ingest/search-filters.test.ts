import { describe, expect, it } from 'vitest';
import { searchRecordSchema } from '@hangarstack/shared';
import { post, search, testApp } from '../../test/support/ingest.ts';

const beacon = (...events: unknown[]) => JSON.stringify({ v: 1, events });

describe('search filters on hangarstack.search.queries', () => {
  it('passes the applied filters to the search record, canonical, keyed by the query', async () => {
    const { app, sink } = testApp();
    const res = await app.request('/v1/events', post(beacon(search('Mach 2', { filters: { role: ['fighter', 'bomber'], era: ['1960s'] } }))));
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    expect(sink.records.map((r) => [r.topic, r.key])).toEqual([['searches', 'mach 2']]);
    expect(searchRecordSchema.parse(JSON.parse(sink.records[0]?.value ?? ''))).toMatchObject({ query: 'mach 2', filters: { role: ['bomber', 'fighter'], era: ['1960s'] } });
  });

  it('keys a filter-only search (no query) by its filters, and writes no filters field for a plain search', async () => {
    const { app, sink } = testApp();
    await app.request('/v1/events', post(beacon(search('', { filters: { country: ['france'], role: ['fighter'] }, results: 40 }), search('concorde'))));
    expect(sink.records.map((r) => r.key)).toEqual(['role=fighter&country=france', 'concorde']);
    expect(JSON.parse(sink.records[0]?.value ?? '')).toMatchObject({ query: '', filters: { role: ['fighter'], country: ['france'] } });
    expect(JSON.parse(sink.records[1]?.value ?? '')).not.toHaveProperty('filters');
  });

  it('rejects unknown facets, unbounded values and a search with neither query nor filter, each costing only itself', async () => {
    const { app, sink } = testApp();
    const res = await app.request(
      '/v1/events',
      post(
        beacon(
          search('ok', { filters: { colour: ['red'] } }),
          search('ok', { filters: { role: Array.from({ length: 21 }, (_, i) => `r${i}`) } }),
          search('ok', { filters: { manufacturer: ['<script>'] } }),
          search(''),
          search('ok', { filters: { era: ['1940s'] } }),
        ),
      ),
    );
    const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.reason])).toEqual([0, 1, 2, 3].map((i) => [i, 'invalid_event']));
    expect(sink.records.map((r) => JSON.parse(r.value) as { filters?: unknown }).map((r) => r.filters)).toEqual([{ era: ['1940s'] }]);
  });
});
