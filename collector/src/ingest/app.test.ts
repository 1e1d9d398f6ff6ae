import { describe, expect, it } from 'vitest';
import { eventRecordSchema } from '@hangarstack/shared';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';
import { post, search, testApp, view } from '../../test/support/ingest.ts';

const beacon = (...events: unknown[]) => JSON.stringify({ v: 1, events });
/** A POST with a chunked body: no Content-Length, as a client streaming its body sends it. */
const chunked = (body: string): RequestInit => {
  const headers = new Headers(post(body).headers);
  headers.delete('content-length');
  headers.set('transfer-encoding', 'chunked');
  return { ...post(body), headers };
};

describe('POST /v1/events: accepted beacons', () => {
  it('accepts a text/plain beacon (sendBeacon) and produces enriched records without IP or user agent', async () => {
    const { app, sink, metrics } = testApp();
    const res = await app.request('/v1/events', post(beacon(view(), search('  Concorde   SST ', { clicked: 'concorde' }))));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    expect(sink.records.map((r) => [r.topic, r.key])).toEqual([
      ['views', 'concorde'],
      ['searches', 'concorde sst'],
    ]);
    for (const record of sink.records) {
      const value = eventRecordSchema.parse(JSON.parse(record.value));
      expect(value.visitor).toMatch(/^[0-9a-f]{32}$/);
      expect(value.device).toBe('desktop');
      expect(record.value).not.toContain('203.0.113.7');
      expect(record.value).not.toContain('Chrome');
    }
    expect(await metrics.registry.getSingleMetricAsString('hangar_collector_events_accepted_total')).toContain('type="view"} 1');
  });

  it('accepts application/json (fetch keepalive) too', async () => {
    const { app, sink } = testApp();
    const res = await app.request('/v1/events', post(beacon(view()), { 'content-type': 'application/json' }));
    expect(res.status).toBe(202);
    expect(sink.records).toHaveLength(1);
  });

  it('gives the same visitor id to one client and different ids to different clients', async () => {
    const { app, sink } = testApp();
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '198.51.100.1' }));
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '198.51.100.1' }));
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '198.51.100.2' }));
    const visitors = sink.records.map((r) => (JSON.parse(r.value) as { visitor: string }).visitor);
    expect(visitors[0]).toBe(visitors[1]);
    expect(visitors[2]).not.toBe(visitors[0]);
  });

  it('gives every record an origin hash of the client network: one per address, shared by its user agents', async () => {
    const { app, sink } = testApp();
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '198.51.100.1', 'user-agent': `${BROWSER_UA} a` }));
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '198.51.100.1', 'user-agent': `${BROWSER_UA} b` }));
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '198.51.100.2', 'user-agent': `${BROWSER_UA} a` }));
    const records = sink.records.map((r) => eventRecordSchema.parse(JSON.parse(r.value)));
    expect(records[0]?.origin).toMatch(/^[0-9a-f]{32}$/);
    expect(records[1]?.origin).toBe(records[0]?.origin);
    expect(records[1]?.visitor).not.toBe(records[0]?.visitor);
    expect(records[2]?.origin).not.toBe(records[0]?.origin);
    for (const r of sink.records) expect(r.value).not.toContain('198.51.100');
  });

  it('resolves the client through a trusted proxy: spoofed left entries change nothing, two real addresses are two clients', async () => {
    const { app, sink } = testApp({ trustedProxies: ['loopback'] });
    const through = (forwardedFor: string) => post(beacon(view()), { 'x-test-peer': '127.0.0.1', 'x-forwarded-for': forwardedFor });
    await app.request('/v1/events', through('6.6.6.1, 198.51.100.7'));
    await app.request('/v1/events', through('6.6.6.2, 10.0.0.9, 198.51.100.7'));
    await app.request('/v1/events', through('198.51.100.8'));
    const [a, b, c] = sink.records.map((r) => eventRecordSchema.parse(JSON.parse(r.value)));
    expect(b?.origin).toBe(a?.origin);
    expect(b?.visitor).toBe(a?.visitor);
    expect(c?.origin).not.toBe(a?.origin);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const { app, sink } = testApp({ trustedProxies: ['loopback'] });
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '203.0.113.50', 'x-forwarded-for': '198.51.100.1' }));
    await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '203.0.113.50', 'x-forwarded-for': '198.51.100.2' }));
    const [a, b] = sink.records.map((r) => eventRecordSchema.parse(JSON.parse(r.value)));
    expect(b?.origin).toBe(a?.origin);
  });

  it('reads only the first 512 characters of a user agent (a longer tail changes nothing)', async () => {
    const { app, sink } = testApp();
    const head = `${BROWSER_UA} ${'x'.repeat(600)}`;
    await app.request('/v1/events', post(beacon(view()), { 'user-agent': `${head}tail-one` }));
    await app.request('/v1/events', post(beacon(view()), { 'user-agent': `${head}tail-two` }));
    const [a, b] = sink.records.map((r) => eventRecordSchema.parse(JSON.parse(r.value)));
    expect(b?.visitor).toBe(a?.visitor);
    // A bot marker past the cut is not read either: the event is accepted, not dropped.
    expect((await app.request('/v1/events', post(beacon(view()), { 'user-agent': `${head} Googlebot/2.1` }))).status).toBe(202);
  });

  it('accepts the valid events of a mixed beacon and explains each rejection', async () => {
    const { app, sink, metrics } = testApp();
    const res = await app.request('/v1/events', post(beacon(view(), view('no-such-plane'), { type: 'view' }, search('x', { clicked: 'nope' }))));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'unknown_aircraft'],
      [2, 'invalid_event'],
      [3, 'unknown_clicked_aircraft'],
    ]);
    expect(sink.records).toHaveLength(1);
    const text = await metrics.registry.getSingleMetricAsString('hangar_collector_events_rejected_total');
    expect(text).toContain('reason="unknown_aircraft"} 1');
    expect(text).toContain('reason="invalid_event"} 1');
  });
});

describe('POST /v1/events: hostile and malformed input gets a clear 4xx and reaches no sink', () => {
  const cases: [string, () => RequestInit, number, string][] = [
    ['invalid JSON', () => post('{"v":1,"events":['), 400, 'invalid_json'],
    ['bad UTF-8', () => post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'invalid_utf8'],
    ['oversized body', () => post(beacon(view()).padEnd(20_000, ' ')), 413, 'body_too_large'],
    ['oversized body, chunked (no length to check before reading)', () => chunked(beacon(view()).padEnd(20_000, ' ')), 413, 'body_too_large'],
    ['oversized body, under-declared length', () => post(beacon(view()).padEnd(20_000, ' '), { 'content-length': '100' }), 413, 'body_too_large'],
    ['deep nesting', () => post(`${'['.repeat(5000)}${']'.repeat(5000)}`), 400, 'invalid_beacon'],
    ['deeply nested event', () => post(`{"v":1,"events":[${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}]}`), 400, 'invalid_event'],
    ['__proto__ key', () => post('{"v":1,"events":[{"type":"view","id":"abcdefghijklmnop","ts":1790000000000,"aircraft":"concorde","__proto__":{"admin":true}}]}'), 400, 'invalid_event'],
    ['__proto__ on the envelope', () => post('{"v":1,"__proto__":{"x":1},"events":[]}'), 400, 'invalid_beacon'],
    ['huge number', () => post(beacon({ ...view(), ts: 1e308 })), 400, 'invalid_event'],
    ['results out of bounds', () => post(beacon(search('x', { results: 10 ** 12 }))), 400, 'invalid_event'],
    ['wrong types', () => post(beacon({ type: 'view', id: 42, ts: 'now', aircraft: ['concorde'] })), 400, 'invalid_event'],
    ['unknown key', () => post(beacon({ ...view(), extra: 1 })), 400, 'invalid_event'],
    ['unknown event type', () => post(beacon({ ...view(), type: 'purchase' })), 400, 'invalid_event'],
    ['too many events', () => post(beacon(...Array.from({ length: 26 }, () => view()))), 400, 'invalid_beacon'],
    ['empty batch', () => post(beacon()), 400, 'invalid_beacon'],
    ['wrong version', () => post(JSON.stringify({ v: 2, events: [view()] })), 400, 'invalid_beacon'],
    ['not an object', () => post('"hello"'), 400, 'invalid_beacon'],
    ['over-long query', () => post(beacon(search('x'.repeat(101)))), 400, 'invalid_event'],
    ['bad slug characters', () => post(beacon(view('../../etc/passwd'))), 400, 'invalid_event'],
    ['bad event id', () => post(beacon({ ...view(), id: 'short' })), 400, 'invalid_event'],
    ['wrong content type', () => post(beacon(view()), { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
    ['no content type', () => ({ method: 'POST', body: new TextEncoder().encode(beacon(view())) }), 415, 'unsupported_media_type'],
    ['origin not allowed', () => post(beacon(view()), { origin: 'https://evil.example' }), 403, 'origin_not_allowed'],
  ];
  it.each(cases)('%s', async (_name, request, status, reason) => {
    const { app, sink } = testApp();
    const res = await app.request('/v1/events', request());
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error?: string; rejected?: { reason: string }[] };
    expect(body.error ?? body.rejected?.[0]?.reason).toBe(reason);
    expect(sink.records).toEqual([]);
  });

  it('answers 405 with Allow for other methods', async () => {
    const { app } = testApp();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await app.request('/v1/events', { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    }
  });

  it('asks the client to close the connection when it answers without reading the body', async () => {
    const { app } = testApp();
    const oversize = await app.request('/v1/events', post(beacon(view()).padEnd(20_000, ' ')));
    expect(oversize.headers.get('connection')).toBe('close');
    const wrongType = await app.request('/v1/events', post(beacon(view()), { 'content-type': 'application/xml' }));
    expect(wrongType.headers.get('connection')).toBe('close');
    const accepted = await app.request('/v1/events', post(beacon(view())));
    expect(accepted.headers.get('connection')).toBeNull();
  });

  it('answers 404 for unknown paths and labels them as unmatched', async () => {
    const { app, metrics } = testApp();
    expect((await app.request('/wp-admin/setup.php')).status).toBe(404);
    expect(await metrics.registry.getSingleMetricAsString('hangar_collector_http_requests_total')).toContain('route="unmatched"');
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const { app } = testApp();
    const res = await app.request('/v1/events', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4321', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:4321');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('does not allow a preflight from another origin', async () => {
    const { app } = testApp();
    const res = await app.request('/v1/events', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('bots, rate limit and sink failure', () => {
  it('answers bots 204, drops their events and counts them', async () => {
    const { app, sink, metrics } = testApp();
    const res = await app.request('/v1/events', post(beacon(view()), { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }));
    expect(res.status).toBe(204);
    expect(sink.records).toEqual([]);
    expect(await metrics.registry.getSingleMetricAsString('hangar_collector_bot_dropped_total')).toContain('hangar_collector_bot_dropped_total 1');
  });

  it('limits each client with a token bucket: 429 + Retry-After, other clients unaffected', async () => {
    const { app, metrics } = testApp({ perMinute: 60, burst: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request('/v1/events', post(beacon(view())))).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const limited = await app.request('/v1/events', post(beacon(view())));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '192.0.2.99' }))).status).toBe(202);
    expect(await metrics.registry.getSingleMetricAsString('hangar_collector_rate_limited_total')).toContain('total 3');
  });

  it('limits per client address, not per user agent: a new user agent buys no new bucket', async () => {
    const { app } = testApp({ perMinute: 60, burst: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request('/v1/events', post(beacon(view()), { 'user-agent': `${BROWSER_UA} ${i}` }))).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
  });

  it('limits each address behind a trusted proxy on its own, and IPv6 per /64', async () => {
    const { app } = testApp({ perMinute: 60, burst: 2, trustedProxies: ['loopback'] });
    const send = (forwardedFor: string) => app.request('/v1/events', post(beacon(view()), { 'x-test-peer': '127.0.0.1', 'x-forwarded-for': forwardedFor }));
    expect([(await send('2001:db8:1:2::1')).status, (await send('2001:db8:1:2::2')).status, (await send('2001:db8:1:2:ffff::3')).status]).toEqual([202, 202, 429]);
    expect((await send('2001:db8:1:3::1')).status).toBe(202);
    expect((await send('198.51.100.1')).status).toBe(202);
  });

  it('answers 503 + Retry-After when no durable sink can take the events', async () => {
    const { app, sink, unavailable } = testApp();
    sink.failWith = unavailable(7);
    const res = await app.request('/v1/events', post(beacon(view())));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await app.request('/readyz')).status).toBe(503);
  });

  it('turns an unexpected error into a logged 500 without details', async () => {
    const { app, sink } = testApp();
    sink.failWith = new Error('boom');
    const res = await app.request('/v1/events', post(beacon(view())));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('boom');
  });
});

describe('operations endpoints', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    const { app } = testApp();
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await (await app.request('/readyz')).json()).toMatchObject({ status: 'ready' });
    await app.request('/v1/events', post(beacon(view())));
    const metrics = await (await app.request('/metrics')).text();
    for (const name of [
      'hangar_collector_http_requests_total{route="/v1/events",method="POST",status="202"} 1',
      'hangar_collector_http_request_duration_seconds_bucket',
      'process_cpu_seconds_total',
    ]) {
      expect(metrics).toContain(name);
    }
    expect(metrics).not.toContain(BROWSER_UA);
  });
});
