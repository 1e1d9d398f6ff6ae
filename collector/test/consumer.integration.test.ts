import { describe, expect, it } from 'vitest';
import type { EventRecord } from '@hangarstack/shared';
import { testKafkaBrokers } from '@hangarstack/testing/kafka';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { appliedRecords, comparable, consumerDirs, createTopics, groupAssignments, produceRecords, producer, startConsumerProcess, waitForOffsets } from './support/consumer-process.ts';
import { freePort } from '@hangarstack/testing/free-port';

const brokers = testKafkaBrokers() ?? '';
const HOUR = 3_600_000;

let seq = 0;
/** A deterministic stream: aircraft i gets views from (i+1) distinct visitors, plus repeats; searches over a few queries. */
function stream(count: number, base = Date.now() - 2 * HOUR): EventRecord[] {
  const slugs = ['concorde', 'boeing-747-400', 'airbus-a380-800', 'supermarine-spitfire-mk-ix', 'lockheed-sr-71-blackbird', 'bell-x-1'];
  const queries = ['spitfire', 'jumbo jet', 'mach 3', 'zeppelin'];
  return Array.from({ length: count }, (_, i): EventRecord => {
    const at = base + (i % 120) * 60_000;
    const visitor = (i % 17).toString(16).padStart(32, '0');
    const id = `cit-${process.pid}-${(seq++).toString().padStart(10, '0')}`;
    if (i % 5 === 4) {
      const query = queries[i % queries.length] ?? 'x';
      return { schema: 2, id, type: 'search', query, results: query === 'zeppelin' ? 0 : 4, clicked: i % 10 === 9 ? 'concorde' : null, clientTs: at, receivedAt: at, visitor, origin: visitor, device: 'desktop' };
    }
    return { schema: 2, id, type: 'view', aircraft: slugs[i % slugs.length] ?? 'concorde', clientTs: at, receivedAt: at, visitor, origin: visitor, device: 'mobile' };
  });
}

async function runToCompletion(topics: { views: string; searches: string }, group: string, total: number, extra: Record<string, string> = {}) {
  const dirs = consumerDirs();
  const consumer = await startConsumerProcess(
    { KAFKA_BROKERS: brokers, CONSUMER_GROUP: group, POPULARITY_FILE: dirs.popularityFile, CONSUMER_STATE_DIR: dirs.stateDir, KAFKA_TOPIC_VIEWS: topics.views, KAFKA_TOPIC_SEARCHES: topics.searches, K_ANONYMITY: '3', ...extra },
    await freePort(),
  );
  try {
    return await waitForOffsets(dirs.popularityFile, BigInt(total));
  } finally {
    await consumer.stop();
  }
}

describe.skipIf(brokers === '')('popularity consumer against the real broker', () => {
  it('turns produced events into the exact expected popularity', async () => {
    const run = `${Date.now()}`;
    const topics = { views: `cit.views.${run}`, searches: `cit.searches.${run}` };
    await createTopics(brokers, [topics.views, topics.searches]);
    const now = Date.now() - HOUR;
    const v = (aircraft: string, who: string, id: string): EventRecord => ({ schema: 2, id, type: 'view', aircraft, clientTs: now, receivedAt: now, visitor: who.padStart(32, '0'), origin: who.padStart(32, '0'), device: 'desktop' });
    const s = (query: string, who: string, id: string, clicked: string | null = null): EventRecord => ({ schema: 2, id, type: 'search', query, results: 2, clicked, clientTs: now, receivedAt: now, visitor: who.padStart(32, '0'), origin: who.padStart(32, '0'), device: 'desktop' });
    const records = [
      v('concorde', 'a', `${run}-01-aaaaaaaaaa`), v('concorde', 'b', `${run}-02-aaaaaaaaaa`), v('concorde', 'c', `${run}-03-aaaaaaaaaa`),
      v('concorde', 'a', `${run}-04-aaaaaaaaaa`), v('concorde', 'a', `${run}-04-aaaaaaaaaa`), // a duplicate id
      v('bell-x-1', 'a', `${run}-05-aaaaaaaaaa`), v('bell-x-1', 'b', `${run}-06-aaaaaaaaaa`),
      s('spitfire', 'a', `${run}-07-aaaaaaaaaa`), s('spitfire', 'b', `${run}-08-aaaaaaaaaa`), s('spitfire', 'c', `${run}-09-aaaaaaaaaa`),
      s('spitfire', 'c', `${run}-10-aaaaaaaaaa`, 'supermarine-spitfire-mk-ix'), s('rare', 'a', `${run}-11-aaaaaaaaaa`),
    ];
    const p = await producer(brokers);
    await produceRecords(p, topics, records);
    await p.disconnect();

    const popularity = await runToCompletion(topics, `cit-exact-${run}`, records.length);
    // Trending: today's visitors against none before, smoothed: (3 + 2) / (0 + 2) - 1 and (2 + 2) / (0 + 2) - 1.
    expect(popularity.aircraft.concorde).toEqual({ views: { h24: 4, d7: 4, d30: 4 }, visitors: { h24: 3, d7: 3, d30: 3 }, trending: 1.5, rank: 1 });
    expect(popularity.aircraft['bell-x-1']).toEqual({ views: { h24: 2, d7: 2, d30: 2 }, visitors: { h24: 2, d7: 2, d30: 2 }, trending: 1, rank: 2 });
    expect(popularity.popular).toEqual(['concorde', 'bell-x-1']);
    expect(popularity.trending).toEqual(['concorde', 'bell-x-1']);
    expect(popularity.searches.top).toEqual([{ query: 'spitfire', searches: 3, visitors: 3, clickThrough: 0.333 }]);
    expect(popularity.source.kind).toBe('kafka');
  });

  it('after a SIGKILL mid-stream and a restart, publishes exactly what an uninterrupted run publishes', async () => {
    const run = `${Date.now()}`;
    const topics = { views: `cit.kill.views.${run}`, searches: `cit.kill.searches.${run}` };
    await createTopics(brokers, [topics.views, topics.searches]);
    const records = stream(6_000);
    const dirs = consumerDirs();
    const env = { KAFKA_BROKERS: brokers, CONSUMER_GROUP: `cit-kill-${run}`, POPULARITY_FILE: dirs.popularityFile, CONSUMER_STATE_DIR: dirs.stateDir, KAFKA_TOPIC_VIEWS: topics.views, KAFKA_TOPIC_SEARCHES: topics.searches, K_ANONYMITY: '3' };
    const port = await freePort();
    const p = await producer(brokers);
    const first = await startConsumerProcess(env, port);
    // The first half streams in; the kill lands as soon as the consumer has published progress,
    // and the second half is produced only after it: the crash is mid-stream by construction.
    const half = records.length / 2;
    for (let i = 0; i < half; i += 500) await produceRecords(p, topics, records.slice(i, i + 500));
    const deadline = Date.now() + 60_000;
    while (appliedRecords(readPopularityFile(dirs.popularityFile)) === 0n && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    await first.kill();
    const atKill = appliedRecords(readPopularityFile(dirs.popularityFile));
    expect(atKill, 'the consumer had applied records before the kill').toBeGreaterThan(0n);
    expect(atKill, 'the kill landed before the end of the stream').toBeLessThan(BigInt(records.length));
    for (let i = half; i < records.length; i += 500) await produceRecords(p, topics, records.slice(i, i + 500));
    await p.disconnect();

    const second = await startConsumerProcess(env, port);
    const recovered = await waitForOffsets(dirs.popularityFile, BigInt(records.length)).finally(() => second.stop());
    const reference = await runToCompletion(topics, `cit-kill-ref-${run}`, records.length);
    expect(comparable(recovered)).toEqual(comparable(reference));
  }, 180_000);

  it('two members of one group over 3 partitions publish the same popularity as one member', async () => {
    const run = `${Date.now()}`;
    const topics = { views: `cit.two.views.${run}`, searches: `cit.two.searches.${run}` };
    await createTopics(brokers, [topics.views, topics.searches]);
    const records = stream(3_000);
    const p = await producer(brokers);
    const dirs = consumerDirs();
    const env = { KAFKA_BROKERS: brokers, CONSUMER_GROUP: `cit-two-${run}`, POPULARITY_FILE: dirs.popularityFile, CONSUMER_STATE_DIR: dirs.stateDir, KAFKA_TOPIC_VIEWS: topics.views, KAFKA_TOPIC_SEARCHES: topics.searches, K_ANONYMITY: '3' };
    const group = env.CONSUMER_GROUP;
    const members = [await startConsumerProcess(env, await freePort()), await startConsumerProcess(env, await freePort())];
    // Both members must hold partitions, or "two members" would be one member and a bystander.
    let assignments: string[][] = [];
    const settle = Date.now() + 60_000;
    while (Date.now() < settle) {
      assignments = await groupAssignments(brokers, group);
      if (assignments.length === 2 && assignments.every((a) => a.length > 0)) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    expect(assignments.map((a) => a.length > 0), JSON.stringify(assignments)).toEqual([true, true]);
    expect(assignments.flat().sort()).toEqual([0, 1, 2].flatMap((n) => [`${topics.searches}:${n}`, `${topics.views}:${n}`]).sort());
    for (let i = 0; i < records.length; i += 500) await produceRecords(p, topics, records.slice(i, i + 500));
    await p.disconnect();
    const together = await waitForOffsets(dirs.popularityFile, BigInt(records.length)).finally(async () => {
      await Promise.all(members.map((m) => m.stop()));
    });
    const final = readPopularityFile(dirs.popularityFile) ?? together;
    const single = await runToCompletion(topics, `cit-two-ref-${run}`, records.length);
    expect(comparable(final)).toEqual(comparable(single));
    expect(final.popular.length).toBeGreaterThan(0);
  }, 180_000);
});
