import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { popularitySchema, type EventRecord, type Popularity } from '@hangarstack/shared';
import { PopularityEngine } from './engine.ts';
import { createConsumerMetrics, type ConsumerMetrics } from './metrics.ts';
import { FilePopularityStore } from './popularity-store.ts';
import { FileStateStore } from './state-store.ts';
import type { SourceRecord } from '../transport/sources/types.ts';
import { DAY, HOUR, T0, viewAt } from '../../test/support/records.ts';

/**
 * The engine through its public behaviour only (assign, nextOffset, applyBatch, publish, and
 * what lands in the state dir and the published JSON), so it holds whatever the state looks like
 * inside: offsets, de-duplication, crash-and-resume, and several members publishing one snapshot.
 */

const NOW = T0 + DAY;

interface Member {
  engine: PopularityEngine;
  metrics: ConsumerMetrics;
  popularity(): Popularity;
}

/** One consumer group member over a state dir (shared by members, as in production). */
function member(stateDir: string, name = 'a'): Member {
  const out = mkdtempSync(join(tmpdir(), `engine-${name}-`));
  const file = join(out, 'popularity.json');
  const metrics = createConsumerMetrics();
  const engine = new PopularityEngine({
    stateStore: new FileStateStore(stateDir),
    popularityStore: new FilePopularityStore(file, join(out, 'search-report.json')),
    metrics,
    log: pino({ level: 'silent' }),
    kAnonymity: 2,
    kind: 'kafka',
    now: () => NOW,
  });
  return { engine, metrics, popularity: () => popularitySchema.parse(JSON.parse(readFileSync(file, 'utf8'))) };
}

/** Records at consecutive offsets from `first`. */
const batch = (first: number, events: (EventRecord | string)[]): SourceRecord[] =>
  events.map((e, i) => ({ offset: String(first + i), value: typeof e === 'string' ? e : JSON.stringify(e) }));

async function dropped(metrics: ConsumerMetrics, reason: string): Promise<number> {
  return (await metrics.dropped.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

const views = (slug: string, visitors: string[], at = T0) => visitors.map((who, i) => viewAt(slug, who, at + i * 1000));

describe('PopularityEngine', () => {
  it('starts a partition at offset 0 and, after a batch, resumes after its last record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-state-'));
    const { engine } = member(dir);
    engine.assign(['views:0']);
    expect(engine.nextOffset('views:0')).toBe('0');
    await engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a', 'b', 'c'])));
    expect(engine.nextOffset('views:0')).toBe('3');
    // Offsets need not be contiguous (compacted or transactional topics skip some).
    await engine.applyBatch('views:0', 'views', batch(10, views('concorde', ['d'], T0 + HOUR)));
    expect(engine.nextOffset('views:0')).toBe('11');
  });

  it('persists the offset with the state: a member that restarts (or takes over) resumes there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-state-'));
    const first = member(dir, 'first');
    first.engine.assign(['views:0']);
    await first.engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a', 'b'])));
    await first.engine.publish();

    const restarted = member(dir, 'restarted');
    restarted.engine.assign(['views:0']);
    expect(restarted.engine.nextOffset('views:0')).toBe('2');
    await restarted.engine.publish();
    expect(restarted.popularity().aircraft.concorde?.visitors.d7).toBe(2);
    expect(restarted.popularity().source.offsets).toEqual({ 'views:0': '2' });
  });

  it('replaying records it already applied changes nothing (the source re-reads after a crash)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-state-'));
    const records = batch(0, views('concorde', ['a', 'b', 'c']));
    const { engine, metrics, popularity } = member(dir);
    engine.assign(['views:0']);
    await engine.applyBatch('views:0', 'views', records);
    await engine.publish();
    const once = popularity();

    // A crash after the state was saved but before the source moved on: the same batch again.
    const again = member(dir, 'again');
    again.engine.assign(['views:0']);
    await again.engine.applyBatch('views:0', 'views', records);
    await again.engine.publish();
    expect({ ...again.popularity(), generatedAt: '' }).toEqual({ ...once, generatedAt: '' });
    expect(await dropped(again.metrics, 'duplicate')).toBe(3);
    expect(again.engine.nextOffset('views:0')).toBe('3');
    expect(await dropped(metrics, 'duplicate')).toBe(0);
  });

  it('drops an event it has seen under another offset by its id (a collector retry delivered it twice)', async () => {
    const { engine, metrics, popularity } = member(mkdtempSync(join(tmpdir(), 'engine-state-')));
    const event = viewAt('concorde', 'a', T0);
    engine.assign(['views:0']);
    await engine.applyBatch('views:0', 'views', batch(0, [event, viewAt('concorde', 'b', T0), event]));
    await engine.publish();
    expect(popularity().aircraft.concorde?.views.d7).toBe(2);
    expect(await dropped(metrics, 'duplicate')).toBe(1);
    expect(engine.nextOffset('views:0')).toBe('3');
  });

  it('skips and counts records that are not event records, and still moves past them', async () => {
    const { engine, metrics, popularity } = member(mkdtempSync(join(tmpdir(), 'engine-state-')));
    engine.assign(['views:0']);
    await engine.applyBatch('views:0', 'views', batch(0, ['not json', '{"schema":1}', viewAt('concorde', 'a', T0)]));
    await engine.publish();
    expect(await dropped(metrics, 'invalid')).toBe(2);
    expect(popularity().aircraft.concorde?.views.d7).toBe(1);
    expect(engine.nextOffset('views:0')).toBe('3');
    expect((await metrics.processed.get()).values.find((v) => v.labels.topic === 'views')?.value).toBe(1);
  });

  it('two members that split the partitions publish exactly what one member with all of them does', async () => {
    const perPartition = [views('concorde', ['a', 'b', 'c', 'd']), views('a380', ['a', 'b']), views('b747', ['a', 'b', 'c'])];
    const keys = ['views:0', 'views:1', 'views:2'];

    const alone = member(mkdtempSync(join(tmpdir(), 'engine-state-')), 'alone');
    alone.engine.assign(keys);
    for (const [p, events] of perPartition.entries()) await alone.engine.applyBatch(`views:${p}`, 'views', batch(0, events));
    await alone.engine.publish();

    const shared = mkdtempSync(join(tmpdir(), 'engine-state-'));
    const a = member(shared, 'a');
    const b = member(shared, 'b');
    a.engine.assign(['views:0', 'views:2']);
    b.engine.assign(['views:1']);
    await a.engine.applyBatch('views:0', 'views', batch(0, perPartition[0] ?? []));
    await b.engine.applyBatch('views:1', 'views', batch(0, perPartition[1] ?? []));
    await a.engine.applyBatch('views:2', 'views', batch(0, perPartition[2] ?? []));
    await a.engine.publish();
    await b.engine.publish();

    const expected = { ...alone.popularity(), generatedAt: '' };
    expect(expected.popular).toEqual(['concorde', 'b747', 'a380']);
    expect(expected.source.offsets).toEqual({ 'views:0': '4', 'views:1': '2', 'views:2': '3' });
    expect({ ...a.popularity(), generatedAt: '' }).toEqual(expected);
    expect({ ...b.popularity(), generatedAt: '' }).toEqual(expected);
  });

  it('leaves out a partition nothing was read from, whichever member owns it', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'engine-state-'));
    const a = member(shared, 'a');
    const b = member(shared, 'b');
    a.engine.assign(['views:0']);
    b.engine.assign(['views:1']);
    await a.engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a'])));
    await a.engine.publish();
    await b.engine.publish();
    expect(a.popularity().source.offsets).toEqual({ 'views:0': '1' });
    expect(b.popularity().source.offsets).toEqual({ 'views:0': '1' });
  });
});
