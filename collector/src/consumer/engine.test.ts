import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { popularitySchema, type EventRecord, type Popularity } from '@hangarstack/shared';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { PopularityEngine, type DeadLetters, type DeadLetterSink } from './engine.ts';
import { createConsumerMetrics, type ConsumerMetrics } from './metrics.ts';
import { FilePopularityStore } from './popularity-store.ts';
import type { StateRow } from './state/rows.ts';
import { SqliteStateStore, type StateStore } from './state/sqlite-state-store.ts';
import type { SourceRecord } from '../transport/sources/types.ts';
import { DAY, HOUR, T0, viewAt } from '../../test/support/records.ts';

/**
 * The engine through its public behaviour only (assign, nextOffset, applyBatch, publish, and
 * what lands in the state dir and the published JSON), so it holds whatever the state looks like
 * inside: offsets, de-duplication, crash-and-resume, and several members publishing one snapshot.
 */

/**
 * Stands in for the changelog topic: every member's rows, in write order, delivered to every
 * other member as its reader would (members share nothing else, as in production).
 */
class Changelog {
  readonly rows: StateRow[] = [];
  /** Dead letters, each with the rows of the write that carried it. */
  readonly deadLetters: { letters: DeadLetters; rows: readonly StateRow[] }[] = [];
  readonly #readers: PopularityEngine[] = [];
  join(engine: PopularityEngine): void {
    engine.applyRemote(this.rows, { changelog: String(this.rows.length) });
    this.#readers.push(engine);
  }
  writer(from: () => PopularityEngine) {
    return {
      send: async (rows: readonly StateRow[], deadLetters?: DeadLetters) => {
        this.rows.push(...rows);
        if (deadLetters) this.deadLetters.push({ letters: deadLetters, rows });
        for (const reader of this.#readers) if (reader !== from()) reader.applyRemote(rows, { changelog: String(this.rows.length) });
      },
    };
  }
}

const NOW = T0 + DAY;

interface Member {
  engine: PopularityEngine;
  metrics: ConsumerMetrics;
  popularity(): Popularity;
}

/**
 * One consumer group member over its own state dir (a restarted member reopens the same one);
 * with a changelog, it writes its rows there and reads the other members' from it.
 */
function member(
  stateDir: string,
  name = 'a',
  options: { changelog?: Changelog; store?: StateStore; deadLetters?: DeadLetterSink; attempts?: number; commitIntervalMs?: number } = {},
): Member {
  const out = tempDir(`engine-${name}-`);
  const file = join(out, 'popularity.json');
  const metrics = createConsumerMetrics();
  const changelog = options.changelog;
  const engine: PopularityEngine = new PopularityEngine({
    store: options.store ?? new SqliteStateStore(join(stateDir, 'state.db'), { durable: true }),
    ...(changelog ? { changelog: changelog.writer(() => engine) } : {}),
    ...(changelog ? {} : { deadLetters: options.deadLetters ?? { send: async () => undefined } }),
    popularityStore: new FilePopularityStore(file, join(out, 'search-report.json')),
    metrics,
    log: pino({ level: 'silent' }),
    kAnonymity: 2,
    kind: 'kafka',
    state: { dedupHours: 1, maxVisitorsPerOrigin: 3 },
    attempts: options.attempts ?? 3,
    ...(options.commitIntervalMs === undefined ? {} : { commitIntervalMs: options.commitIntervalMs }),
    retryBaseMs: 1,
    now: () => NOW,
  });
  changelog?.join(engine);
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
    const dir = tempDir('engine-state-');
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
    const dir = tempDir('engine-state-');
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
    const dir = tempDir('engine-state-');
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
    const { engine, metrics, popularity } = member(tempDir('engine-state-'));
    const event = viewAt('concorde', 'a', T0);
    engine.assign(['views:0']);
    await engine.applyBatch('views:0', 'views', batch(0, [event, viewAt('concorde', 'b', T0), event]));
    await engine.publish();
    expect(popularity().aircraft.concorde?.views.d7).toBe(2);
    expect(await dropped(metrics, 'duplicate')).toBe(1);
    expect(engine.nextOffset('views:0')).toBe('3');
  });

  it('skips and counts records that are not event records, and still moves past them', async () => {
    const { engine, metrics, popularity } = member(tempDir('engine-state-'));
    engine.assign(['views:0']);
    await engine.applyBatch('views:0', 'views', batch(0, ['not json', '{"schema":1}', viewAt('concorde', 'a', T0)]));
    await engine.publish();
    expect(await dropped(metrics, 'invalid')).toBe(2);
    expect(popularity().aircraft.concorde?.views.d7).toBe(1);
    expect(engine.nextOffset('views:0')).toBe('3');
    expect((await metrics.processed.get()).values.find((v) => v.labels.topic === 'views')?.value).toBe(1);
  });

  it('reads values handed over as UTF-8 bytes (the Kafka source) exactly as text (the embedded log)', async () => {
    const events = [viewAt('concorde', 'a', T0), 'not json', viewAt('a380', 'b', T0 + 1000), viewAt('concorde', 'c', T0 + 2000)];
    const text = member(tempDir('engine-state-'), 'text');
    const bytes = member(tempDir('engine-state-'), 'bytes');
    for (const m of [text, bytes]) m.engine.assign(['views:0']);
    await text.engine.applyBatch('views:0', 'views', batch(0, events));
    // A view into a larger buffer, as a fetched Kafka batch hands its values over.
    await bytes.engine.applyBatch('views:0', 'views', batch(0, events).map((r) => ({ ...r, value: Buffer.from(`xx${r.value as string}yy`).subarray(2, -2) })));
    for (const m of [text, bytes]) await m.engine.publish();
    expect(bytes.popularity().aircraft.concorde?.visitors.d7).toBe(2);
    expect({ ...bytes.popularity(), generatedAt: '' }).toEqual({ ...text.popularity(), generatedAt: '' });
    expect(await dropped(bytes.metrics, 'invalid')).toBe(1);
  });

  it('two members that split the partitions publish exactly what one member with all of them does', async () => {
    const perPartition = [views('concorde', ['a', 'b', 'c', 'd']), views('a380', ['a', 'b']), views('b747', ['a', 'b', 'c'])];
    const keys = ['views:0', 'views:1', 'views:2'];

    const alone = member(tempDir('engine-state-'), 'alone');
    alone.engine.assign(keys);
    for (const [p, events] of perPartition.entries()) await alone.engine.applyBatch(`views:${p}`, 'views', batch(0, events));
    await alone.engine.publish();

    const changelog = new Changelog();
    const a = member(tempDir('engine-state-'), 'a', { changelog });
    const b = member(tempDir('engine-state-'), 'b', { changelog });
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
    const changelog = new Changelog();
    const a = member(tempDir('engine-state-'), 'a', { changelog });
    const b = member(tempDir('engine-state-'), 'b', { changelog });
    a.engine.assign(['views:0']);
    b.engine.assign(['views:1']);
    await a.engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a'])));
    await a.engine.publish();
    await b.engine.publish();
    expect(a.popularity().source.offsets).toEqual({ 'views:0': '1' });
    expect(b.popularity().source.offsets).toEqual({ 'views:0': '1' });
  });

  it('a member that joins later, on an empty disk, restores every partition from the changelog', async () => {
    const changelog = new Changelog();
    const a = member(tempDir('engine-state-'), 'a', { changelog });
    a.engine.assign(['views:0', 'views:1']);
    await a.engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a', 'b', 'c'])));
    await a.engine.applyBatch('views:1', 'views', batch(0, views('a380', ['a', 'b'])));
    await a.engine.publish();

    const late = member(tempDir('engine-state-'), 'late', { changelog });
    a.engine.assign(['views:0']);
    late.engine.assign(['views:1']);
    expect(late.engine.nextOffset('views:1')).toBe('2');
    await late.engine.applyBatch('views:1', 'views', batch(0, [...views('a380', ['a', 'b']), viewAt('a380', 'c', T0 + HOUR)]));
    await a.engine.publish();
    await late.engine.publish();
    expect(late.popularity().aircraft.a380?.views.d7).toBe(3);
    expect({ ...late.popularity(), generatedAt: '' }).toEqual({ ...a.popularity(), generatedAt: '' });
  });

  it('retries a batch whose store write fails, then dead-letters it with the reason and moves on; the changelog ends equal to the store', async () => {
    const inner = new SqliteStateStore(':memory:', { durable: false });
    // Storing anything about `bell-x-1` (its slug's id, slug-dictionary.ts) fails, as a record that breaks the store would.
    const poison = Buffer.from('bell-x-1');
    const flaky: StateStore = {
      write: (rows, positions) => {
        if (rows.some((r) => (r.kind === 'views' || r.kind === 'slugs') && r.value && Buffer.from(r.value).includes(poison))) throw new Error('disk I/O error');
        inner.write(rows, positions);
      },
      rows: (p) => inner.rows(p),
      position: (n) => inner.position(n),
      close: () => inner.close(),
    };
    const changelog = new Changelog();
    const { engine, metrics, popularity } = member('', 'flaky', { store: flaky, changelog });
    engine.assign(['views:0']);
    await engine.applyBatch('views:0', 'views', batch(0, [viewAt('bell-x-1', 'a', T0), viewAt('concorde', 'b', T0)]));
    // The dead letters went in the changelog write that stores the offset past them (one transaction).
    expect(changelog.deadLetters.map(({ letters: l, rows }) => ({ key: l.source.key, offsets: l.records.map((r) => r.offset), reason: l.reason, storedOffset: (JSON.parse(new TextDecoder().decode(rows.find((r) => r.kind === 'offset')?.value ?? new Uint8Array())) as { nextOffset: string }).nextOffset }))).toEqual([
      { key: 'views:0', offsets: ['0', '1'], reason: 'failed 3 times: disk I/O error', storedOffset: '2' },
    ]);
    expect(engine.nextOffset('views:0')).toBe('2');
    expect((await metrics.batchFailures.get()).values[0]?.value).toBe(3);
    expect((await metrics.deadLettered.get()).values[0]?.value).toBe(2);

    // Nothing of the failed batch counts, and the next batch is applied normally.
    await engine.applyBatch('views:0', 'views', batch(2, [viewAt('concorde', 'c', T0)]));
    await engine.publish();
    expect(popularity().aircraft.concorde?.views.h24).toBe(1);
    expect(popularity().aircraft['bell-x-1']).toBeUndefined();
    expect(popularity().source.offsets).toEqual({ 'views:0': '3' });
    // The failed tries reached the changelog before the store failed; later writes overwrote them,
    // so a member restoring from the changelog gets what the store has.
    const latest = new Map<string, StateRow>();
    for (const r of changelog.rows) latest.set(`${r.partition}|${r.kind}|${r.bucket}|${r.item}`, r);
    const hex = (r: StateRow) => [r.kind, r.bucket, r.item, Buffer.from(r.value as Uint8Array).toString('hex')].join(' ');
    expect([...latest.values()].filter((r) => r.value !== null).map(hex).sort()).toEqual([...inner.rows()].map(hex).sort());
  });

  describe('with a commit interval', () => {
    /** Counts the store's writes of state rows (changelog reads aside). */
    function counting(path: string) {
      const inner = new SqliteStateStore(path, { durable: true });
      const store: StateStore & { writes: number } = {
        writes: 0,
        write: (rows, positions) => {
          store.writes += 1;
          inner.write(rows, positions);
        },
        rows: (p) => inner.rows(p),
        position: (n) => inner.position(n),
        close: () => inner.close(),
      };
      return store;
    }

    it('stores the batches of one interval in one write with the offset they reach; before that a restarted member resumes from what is stored and ends the same', async () => {
      const dir = tempDir('engine-state-');
      const store = counting(join(dir, 'state.db'));
      const first = member(dir, 'first', { store, commitIntervalMs: 60_000 });
      first.engine.assign(['views:0']);
      const records = [batch(0, views('concorde', ['a', 'b'])), batch(2, views('concorde', ['c'], T0 + HOUR)), batch(3, views('a380', ['a']))];
      for (const b of records) await first.engine.applyBatch('views:0', 'views', b);
      expect(store.writes).toBe(0);
      expect(first.engine.nextOffset('views:0')).toBe('4');
      expect(first.engine.storedOffset('views:0')).toBe('0');
      await first.engine.publish();
      // Published from memory, before it is stored.
      expect(first.popularity().aircraft.concorde?.views.d7).toBe(3);

      // A crash now: the member that takes over starts from the stored offset and reads the batches again.
      const crashed = member(dir, 'crashed', { commitIntervalMs: 60_000 });
      crashed.engine.assign(['views:0']);
      expect(crashed.engine.nextOffset('views:0')).toBe('0');
      for (const b of records) await crashed.engine.applyBatch('views:0', 'views', b);
      await crashed.engine.publish();
      expect({ ...crashed.popularity(), generatedAt: '' }).toEqual({ ...first.popularity(), generatedAt: '' });

      await first.engine.flush();
      expect(store.writes).toBe(1);
      expect(first.engine.storedOffset('views:0')).toBe('4');
      const restarted = member(dir, 'restarted');
      restarted.engine.assign(['views:0']);
      expect(restarted.engine.nextOffset('views:0')).toBe('4');
      await restarted.engine.publish();
      expect({ ...restarted.popularity(), generatedAt: '' }).toEqual({ ...first.popularity(), generatedAt: '' });
    });

    it('stores on its own once the interval is over, with no further batch', async () => {
      const dir = tempDir('engine-state-');
      const store = counting(join(dir, 'state.db'));
      const { engine } = member(dir, 'timer', { store, commitIntervalMs: 20 });
      engine.assign(['views:0']);
      await engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a'])));
      expect(engine.storedOffset('views:0')).toBe('0');
      const deadline = Date.now() + 5_000;
      while (store.writes === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
      expect(store.writes).toBe(1);
      expect(engine.storedOffset('views:0')).toBe('1');
    });

    it('when storing an interval fails, stores its batches one by one from the stored state: only the batch that keeps failing is dead-lettered', async () => {
      const inner = new SqliteStateStore(':memory:', { durable: false });
      const poison = Buffer.from('bell-x-1');
      const flaky: StateStore = {
        write: (rows, positions) => {
          if (rows.some((r) => (r.kind === 'views' || r.kind === 'slugs') && r.value && Buffer.from(r.value).includes(poison))) throw new Error('disk I/O error');
          inner.write(rows, positions);
        },
        rows: (p) => inner.rows(p),
        position: (n) => inner.position(n),
        close: () => inner.close(),
      };
      const letters: { offsets: string[]; reason: string }[] = [];
      const { engine, metrics, popularity } = member('', 'flaky-interval', {
        store: flaky,
        commitIntervalMs: 60_000,
        deadLetters: { send: async ({ records: recs, reason }) => void letters.push({ offsets: recs.map((r) => r.offset), reason }) },
      });
      engine.assign(['views:0']);
      await engine.applyBatch('views:0', 'views', batch(0, views('concorde', ['a'])));
      await engine.applyBatch('views:0', 'views', batch(1, [viewAt('bell-x-1', 'b', T0 + HOUR)]));
      await engine.applyBatch('views:0', 'views', batch(2, views('concorde', ['c'], T0 + 2 * HOUR)));
      await engine.flush();
      expect(letters).toEqual([{ offsets: ['1'], reason: 'failed 3 times: disk I/O error' }]);
      // The interval's failure, then the poisoned batch's three tries.
      expect((await metrics.batchFailures.get()).values[0]?.value).toBe(4);
      expect(engine.storedOffset('views:0')).toBe('3');
      await engine.publish();
      expect(popularity().aircraft.concorde?.views.d7).toBe(2);
      expect(popularity().aircraft['bell-x-1']).toBeUndefined();
      expect((await metrics.processed.get()).values.find((v) => v.labels.topic === 'views')?.value).toBe(2);
    });
  });
});
