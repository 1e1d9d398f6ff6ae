import { expect, it } from 'vitest';
import type { EventRecord, Popularity } from '@hangarstack/shared';
import { describeWithBroker, testKafkaBrokers } from '@hangarstack/testing/kafka';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { appliedRecords, comparable, produceRecords, producer, waitForOffsets } from './support/consumer-process.ts';
import { newRun, reference, startMember, stream, waitForSpread, withoutTopicNames, type Member } from './support/consumer-group.ts';

const brokers = testKafkaBrokers() ?? '';
const HOUR = 3_600_000;

describeWithBroker('popularity consumer against the real broker', () => {
  it('turns produced events into the exact expected popularity', async () => {
    const run = await newRun('exact');
    const now = Date.now() - HOUR;
    const tag = Date.now();
    const v = (aircraft: string, who: string, id: string): EventRecord => ({ schema: 2, id, type: 'view', aircraft, clientTs: now, receivedAt: now, visitor: who.padStart(32, '0'), origin: who.padStart(32, '0'), device: 'desktop' });
    const s = (query: string, who: string, id: string, clicked: string | null = null): EventRecord => ({ schema: 2, id, type: 'search', query, results: 2, clicked, clientTs: now, receivedAt: now, visitor: who.padStart(32, '0'), origin: who.padStart(32, '0'), device: 'desktop' });
    const records = [
      v('concorde', 'a', `${tag}-01-aaaaaaaaaa`), v('concorde', 'b', `${tag}-02-aaaaaaaaaa`), v('concorde', 'c', `${tag}-03-aaaaaaaaaa`),
      v('concorde', 'a', `${tag}-04-aaaaaaaaaa`), v('concorde', 'a', `${tag}-04-aaaaaaaaaa`), // a duplicate id
      v('concorde', 'd', `${tag}-12-aaaaaaaaaa`),
      v('bell-x-1', 'a', `${tag}-05-aaaaaaaaaa`), v('bell-x-1', 'b', `${tag}-06-aaaaaaaaaa`),
      s('spitfire', 'a', `${tag}-07-aaaaaaaaaa`), s('spitfire', 'b', `${tag}-08-aaaaaaaaaa`), s('spitfire', 'c', `${tag}-09-aaaaaaaaaa`),
      s('spitfire', 'c', `${tag}-10-aaaaaaaaaa`, 'supermarine-spitfire-mk-ix'), s('rare', 'a', `${tag}-11-aaaaaaaaaa`),
    ];
    const p = await producer(brokers);
    await produceRecords(p, run.topics, records);
    await p.disconnect();

    const popularity = await reference(run, records.length);
    // Trending: today's visitors against none before, smoothed: (4 + 2) / (0 + 2) - 1 and (2 + 2) / (0 + 2) - 1;
    // the list needs more visitors today than one origin may bring (MAX_VISITORS_PER_ORIGIN 3 + 1).
    expect(popularity.aircraft.concorde).toEqual({ views: { h24: 5, d7: 5, d30: 5 }, visitors: { h24: 4, d7: 4, d30: 4 }, trending: 2, rank: 1 });
    expect(popularity.aircraft['bell-x-1']).toEqual({ views: { h24: 2, d7: 2, d30: 2 }, visitors: { h24: 2, d7: 2, d30: 2 }, trending: 1, rank: 2 });
    expect(popularity.popular).toEqual(['concorde', 'bell-x-1']);
    // concorde's 4 visitors make a trend; bell-x-1's 2 rise too but are not more than one origin may bring.
    expect(popularity.trending).toEqual(['concorde']);
    expect(popularity.searches.top).toEqual([{ query: 'spitfire', searches: 3, visitors: 3, clickThrough: 0.333 }]);
    expect(popularity.source.kind).toBe('kafka');
  });

  it('after a SIGKILL mid-stream and a restart, publishes exactly what an uninterrupted run publishes', async () => {
    const run = await newRun('kill');
    const records = stream(6_000);
    const group = `cit-kill-${Date.now()}`;
    const p = await producer(brokers);
    const first = await startMember(run, group);
    let killedAt: bigint | undefined;
    let producedAtKill = 0;
    for (let i = 0; i < records.length; i += 500) {
      await produceRecords(p, run.topics, records.slice(i, i + 500));
      await new Promise((done) => setTimeout(done, 100));
      if (killedAt !== undefined || i < 2_000) continue;
      // Kill once it has applied part of the stream (it may still be joining the group).
      const deadline = Date.now() + 30_000;
      let seen = appliedRecords(readPopularityFile(first.dirs.popularityFile));
      while (seen === 0n && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 50));
        seen = appliedRecords(readPopularityFile(first.dirs.popularityFile));
      }
      await first.service.kill();
      killedAt = seen;
      producedAtKill = i + 500;
    }
    await p.disconnect();
    // Never leave the first member running, whatever happened above.
    if (killedAt === undefined) await first.service.kill();
    // The kill landed mid-stream: after some records were applied, before the stream ended.
    expect(killedAt).toBeDefined();
    expect(killedAt).toBeGreaterThan(0n);
    expect(producedAtKill).toBeLessThan(records.length);

    const second = await startMember(run, group, first.dirs);
    const recovered = await waitForOffsets(first.dirs.popularityFile, BigInt(records.length)).finally(() => second.service.stop());
    expect(comparable(recovered)).toEqual(comparable(await reference(run, records.length)));
  }, 180_000);

  it('1, 2 and 3 members, each with its own disk, publish the same popularity, every member owning partitions', async () => {
    const records = stream(3_000);
    const results: unknown[] = [];
    const p = await producer(brokers);
    for (const n of [1, 2, 3]) {
      // Fresh topics per round, produced to only once the group is spread, so every member processes.
      const run = await newRun(`members${n}`);
      const group = `cit-members-${n}-${Date.now()}`;
      const members: Member[] = [];
      for (let i = 0; i < n; i++) members.push(await startMember(run, group));
      try {
        const owned = await waitForSpread(members, run.partitions);
        // Spread evenly: 9 partitions (3 topics × 3) over n members differ by at most one.
        const sizes = [...owned.values()].map((parts) => parts.length);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(run.partitions.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        await produceRecords(p, run.topics, records);
        // Every member holds every partition's aggregate (its own, and the others' from the
        // changelog), so each publishes the whole snapshot.
        const published = await Promise.all(members.map((m) => waitForOffsets(m.dirs.popularityFile, BigInt(records.length))));
        for (const snapshot of published) results.push(withoutTopicNames(snapshot, run));
      } finally {
        await Promise.all(members.map((m) => m.service.stop()));
      }
    }
    await p.disconnect();
    const [single, ...others] = results;
    expect(others).toHaveLength(5);
    for (const other of others) expect(other).toEqual(single);
    expect((single as Popularity).popular.length).toBeGreaterThan(0);
    // Co-views are spread over the activity partitions: every member merged them to the same lists.
    expect(Object.keys((single as Popularity).alsoViewed ?? {}).length).toBeGreaterThan(0);
  }, 240_000);

  it('a member added and another removed mid-stream change nothing', async () => {
    const run = await newRun('churn');
    const records = stream(4_500);
    const third = records.length / 3;
    const group = `cit-churn-${Date.now()}`;
    const p = await producer(brokers);
    const a = await startMember(run, group);
    await waitForSpread([a], run.partitions);
    await produceRecords(p, run.topics, records.slice(0, third));
    await waitForOffsets(a.dirs.popularityFile, BigInt(third));

    const b = await startMember(run, group);
    const spread = await waitForSpread([a, b], run.partitions);
    expect(spread.get(b)?.length).toBeGreaterThan(0);
    await produceRecords(p, run.topics, records.slice(third, 2 * third));
    await waitForOffsets(b.dirs.popularityFile, BigInt(2 * third));

    await a.service.stop();
    await waitForSpread([b], run.partitions);
    await produceRecords(p, run.topics, records.slice(2 * third));
    await p.disconnect();
    const final = await waitForOffsets(b.dirs.popularityFile, BigInt(records.length)).finally(() => b.service.stop());
    expect(comparable(final)).toEqual(comparable(await reference(run, records.length)));
  }, 240_000);
});
