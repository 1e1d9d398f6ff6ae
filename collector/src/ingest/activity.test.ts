import { describe, expect, it } from 'vitest';
import { activityRecordSchema, eventRecordSchema } from '@hangarstack/shared';
import { eventId, post, testApp, view } from '../../test/support/ingest.ts';

const beacon = (...events: unknown[]) => JSON.stringify({ v: 1, events });
const page = (kind: string, extra: Record<string, unknown> = {}) => ({ type: 'page', id: eventId(), ts: Date.now(), page: kind, ...extra });

describe('hangarstack.user.activity from beacons', () => {
  it('fans one aircraft view out to the views topic and the activity topic (same id), the activity keyed by visitor', async () => {
    const { app, sink } = testApp();
    const event = { ...view('concorde'), ref: 'news.example.org', entry: true };
    expect((await app.request('/v1/events', post(beacon(event)))).status).toBe(202);
    expect(sink.all.map((r) => r.topic)).toEqual(['views', 'activity']);
    const viewRecord = eventRecordSchema.parse(JSON.parse(sink.records[0]?.value ?? ''));
    const activity = activityRecordSchema.parse(JSON.parse(sink.activity[0]?.value ?? ''));
    expect(activity).toMatchObject({ id: event.id, page: 'aircraft', aircraft: 'concorde', ref: 'news.example.org', entry: true, visitor: viewRecord.visitor });
    expect(sink.activity[0]?.key).toBe(viewRecord.visitor);
    expect(sink.activity[0]?.value).not.toContain('203.0.113.7');
    expect(sink.activity[0]?.value).not.toContain('Chrome');
  });

  it('records every other page kind on the activity topic only', async () => {
    const { app, sink } = testApp();
    const kinds = ['home', 'list', 'type', 'search', 'compare', 'popular', 'not-found'];
    const res = await app.request('/v1/events', post(beacon(...kinds.map((k) => page(k)))));
    expect(await res.json()).toEqual({ accepted: kinds.length, rejected: [] });
    expect(sink.records).toEqual([]);
    expect(sink.activity.map((r) => activityRecordSchema.parse(JSON.parse(r.value)).page)).toEqual(kinds);
  });

  it('drops a referrer that is the site itself, and rejects anything but a bare host (no URL, path or query can be stored)', async () => {
    const { app, sink } = testApp();
    const res = await app.request(
      '/v1/events',
      post(beacon(page('home', { ref: 'localhost', entry: false }), page('list', { ref: 'https://evil.example/?q=secret' }), page('search', { ref: 'evil.example/path' }), page('nope'))),
    );
    const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'invalid_event'],
      [2, 'invalid_event'],
      [3, 'invalid_event'],
    ]);
    expect(activityRecordSchema.parse(JSON.parse(sink.activity[0]?.value ?? ''))).toMatchObject({ page: 'home', ref: null, entry: false });
    expect(sink.all.map((r) => r.value).join('')).not.toContain('secret');
  });
});
