import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { ChangelogFencedError, PopularityEngine } from './engine.ts';
import { createConsumerMetrics } from './metrics.ts';
import { FilePopularityStore } from './popularity-store.ts';
import type { StateRow } from './state/rows.ts';
import { SqliteStateStore } from './state/sqlite-state-store.ts';
import type { SourceRecord } from '../transport/sources/types.ts';
import { DAY, T0, viewAt } from '../../test/support/records.ts';

/**
 * A member whose changelog write is refused because another member claimed the partition (the
 * Kafka side is consumer-zombie.integration.test.ts): what the engine keeps, stores and applies.
 */
function fencedMember() {
  const dir = tempDir('engine-fencing-');
  const store = new SqliteStateStore(join(dir, 'state.db'), { durable: false });
  const written: StateRow[][] = [];
  const fences: { partition: number; records: number }[] = [];
  const changelog: { fenced: boolean; sent: number; hold?: Promise<void> } = { fenced: false, sent: 0 };
  const metrics = createConsumerMetrics();
  const engine = new PopularityEngine({
    store: {
      write: (rows, positions) => {
        written.push([...rows]);
        store.write(rows, positions);
      },
      rows: (partition) => store.rows(partition),
      position: (name) => store.position(name),
      close: () => store.close(),
    },
    changelog: {
      send: async (rows, deadLetters) => {
        if (deadLetters) expect.unreachable('a fenced write is not a poisoned batch');
        changelog.sent += 1;
        await changelog.hold;
        if (changelog.fenced) throw new ChangelogFencedError(rows[0]?.partition ?? '', 'a newer producer claimed it');
      },
    },
    popularityStore: new FilePopularityStore(join(dir, 'popularity.json'), join(dir, 'search-report.json')),
    metrics,
    log: pino({ level: 'silent' }),
    kAnonymity: 1,
    kind: 'kafka',
    state: { dedupHours: 1, maxVisitorsPerOrigin: 3 },
    commitIntervalMs: 60_000,
    attempts: 3,
    retryBaseMs: 1,
    onFenced: (detail) => fences.push(detail),
    now: () => T0 + DAY,
  });
  return { engine, store, written, fences, changelog, metrics };
}

const batch = (first: number, count: number): SourceRecord[] =>
  Array.from({ length: count }, (_, i) => ({ offset: String(first + i), value: JSON.stringify(viewAt('concorde', String(first + i), T0 + i * 1000)) }));

describe('PopularityEngine, fenced by a newer owner', () => {
  it('drops the unstored batches, stores nothing of them, counts it, and applies nothing more of the partition until it is assigned again', async () => {
    const m = fencedMember();
    m.engine.assign(['views:0']);
    await m.engine.applyBatch('views:0', 'views', batch(0, 2));
    await m.engine.flush();
    expect(m.engine.storedOffset('views:0')).toBe('2');
    const storedWrites = m.written.length;

    await m.engine.applyBatch('views:0', 'views', batch(2, 3));
    expect(m.engine.nextOffset('views:0')).toBe('5');
    m.changelog.fenced = true;
    await m.engine.flush();
    // Back to what is stored; nothing of the refused interval reached the local store, no retry, no dead letter.
    expect(m.engine.nextOffset('views:0')).toBe('2');
    expect(m.written).toHaveLength(storedWrites);
    expect(m.changelog.sent).toBe(2);
    expect(m.engine.owned).toEqual([]);
    expect((await m.metrics.fencedFlushes.get()).values.find((v) => v.labels.topic === 'views')?.value).toBe(1);
    expect(m.fences).toEqual([{ topic: 'views', partition: 0, records: 3, reason: expect.stringContaining('a newer producer claimed it') }]);

    // Batches still fetched before the member learns of the new assignment are not applied.
    await m.engine.applyBatch('views:0', 'views', batch(5, 2));
    expect(m.engine.nextOffset('views:0')).toBe('2');

    // Assigned again (claimed anew): it continues from what is stored.
    m.changelog.fenced = false;
    m.engine.assign(['views:0']);
    await m.engine.applyBatch('views:0', 'views', batch(2, 5));
    await m.engine.flush();
    expect(m.engine.storedOffset('views:0')).toBe('7');
    expect((await m.metrics.processed.get()).values.find((v) => v.labels.topic === 'views')?.value).toBe(7);
  });

  it('gives up a partition it owns when the changelog brings another writer\'s rows for it, and takes those rows', async () => {
    const m = fencedMember();
    m.engine.assign(['views:0', 'views:1']);
    await m.engine.applyBatch('views:0', 'views', batch(0, 2));
    await m.engine.flush();
    await m.engine.applyBatch('views:0', 'views', batch(2, 2));
    // The new owner restored offset 2 and stored up to 9: its offset row arrives from the changelog.
    const theirs = fencedMember();
    theirs.engine.assign(['views:0']);
    await theirs.engine.applyBatch('views:0', 'views', batch(0, 9));
    await theirs.engine.flush();
    const rows = theirs.written.flat();
    m.engine.applyRemote(rows, { changelog: '1' }, new Set(['views:0']));
    expect(m.engine.owned).toEqual(['views:1']);
    expect(m.engine.nextOffset('views:0')).toBe('9');
    // Its own unstored batch was dropped, not stored on top of the new owner's rows.
    await m.engine.flush();
    expect(m.store.rows('views:0')).toSatisfy((stored: Iterable<StateRow>) => [...stored].some((r) => r.kind === 'offset'));
    expect(m.engine.storedOffset('views:0')).toBe('9');
  });

  it('a write that commits while the new owner\'s later rows are read first still ends under them, locally too', async () => {
    const m = fencedMember();
    m.engine.assign(['views:0']);
    await m.engine.applyBatch('views:0', 'views', batch(0, 2));
    let commit = (): void => undefined;
    m.changelog.hold = new Promise((done) => (commit = done));
    const flushing = m.engine.flush();
    // Its write reached the changelog before the new owner claimed the partition; the new owner
    // restored it, stored up to 9, and this member reads that before its write call returns.
    const theirs = fencedMember();
    theirs.engine.assign(['views:0']);
    await theirs.engine.applyBatch('views:0', 'views', batch(0, 9));
    await theirs.engine.flush();
    m.engine.applyRemote(theirs.written.flat(), { changelog: '2' }, new Set(['views:0']));
    commit();
    await flushing;
    // Local store and memory end as the changelog: its rows, then the new owner's.
    expect(m.engine.nextOffset('views:0')).toBe('9');
    const stored = [...m.store.rows('views:0')].find((r) => r.kind === 'offset');
    const expected = [...theirs.store.rows('views:0')].find((r) => r.kind === 'offset');
    expect(stored?.value).toEqual(expected?.value);
  });
});
