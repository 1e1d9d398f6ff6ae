import { describe, expect, it } from 'vitest';
import type { ActivityRecord, EventRecord, Popularity } from '@hangarstack/shared';
import { testKafkaBrokers } from '@hangarstack/testing/kafka';
import { freePort } from '@hangarstack/testing/free-port';
import type { RunningService } from '@hangarstack/testing/supervisor';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import {
  appliedRecords,
  comparable,
  consumerDirs,
  createTopics,
  memberHealth,
  produceRecords,
  producer,
  startConsumerProcess,
  waitForOffsets,
  type ConsumerDirs,
} from './support/consumer-process.ts';

const brokers = testKafkaBrokers() ?? '';
const HOUR = 3_600_000;

let seq = 0;
/**
 * A deterministic stream: aircraft i gets views from (i+1) distinct visitors, plus repeats; searches
 * over a few queries; user activity (aircraft page views of the same 17 visitors, so co-view pairs
 * past k origins, counted in the activity partitions and merged across them).
 */
function stream(count: number, base = Date.now() - 2 * HOUR): (EventRecord | ActivityRecord)[] {
  const slugs = ['concorde', 'boeing-747-400', 'airbus-a380-800', 'supermarine-spitfire-mk-ix', 'lockheed-sr-71-blackbird', 'bell-x-1'];
  const queries = ['spitfire', 'jumbo jet', 'mach 3', 'zeppelin'];
  return Array.from({ length: count }, (_, i): EventRecord | ActivityRecord => {
    const at = base + (i % 120) * 60_000;
    const visitor = (i % 17).toString(16).padStart(32, '0');
    const id = `cit-${process.pid}-${(seq++).toString().padStart(10, '0')}`;
    if (i % 5 === 3) {
      const aircraft = slugs[(i * 7) % slugs.length] ?? 'concorde';
      return { schema: 2, id, type: 'activity', page: 'aircraft', aircraft, ref: null, entry: false, clientTs: at, receivedAt: at, visitor, origin: visitor, device: 'mobile' };
    }
    if (i % 5 === 4) {
      const query = queries[i % queries.length] ?? 'x';
      return { schema: 2, id, type: 'search', query, results: query === 'zeppelin' ? 0 : 4, clicked: i % 10 === 9 ? 'concorde' : null, clientTs: at, receivedAt: at, visitor, origin: visitor, device: 'desktop' };
    }
    return { schema: 2, id, type: 'view', aircraft: slugs[i % slugs.length] ?? 'concorde', clientTs: at, receivedAt: at, visitor, origin: visitor, device: 'mobile' };
  });
}

interface Run {
  topics: { views: string; searches: string };
  /** Every partition of the three topics it reads (views, searches, user activity), as the consumer names them. */
  partitions: string[];
}

async function newRun(name: string): Promise<Run> {
  const id = `${name}.${Date.now()}`;
  const topics = { views: `cit.${id}.views`, searches: `cit.${id}.searches` };
  // The starter gives each run's members the activity topic beside its views topic.
  const activity = `${topics.views}.activity`;
  await createTopics(brokers, [topics.views, topics.searches, activity]);
  return { topics, partitions: [topics.views, topics.searches, activity].flatMap((t) => [0, 1, 2].map((p) => `${t}:${p}`)) };
}

/** One consumer-group member with a disk of its own (nothing shared with other members). */
interface Member {
  service: RunningService;
  port: number;
  dirs: ConsumerDirs;
}

async function startMember(run: Run, group: string, dirs: ConsumerDirs = consumerDirs()): Promise<Member> {
  const port = await freePort();
  const service = await startConsumerProcess(
    {
      KAFKA_BROKERS: brokers,
      CONSUMER_GROUP: group,
      // One changelog per group, as one per deployment in production.
      CONSUMER_STATE_TOPIC: `${group}.state`,
      CONSUMER_DEAD_LETTER_TOPIC: `${group}.dead-letter`,
      POPULARITY_FILE: dirs.popularityFile,
      CONSUMER_STATE_DIR: dirs.stateDir,
      KAFKA_TOPIC_VIEWS: run.topics.views,
      KAFKA_TOPIC_SEARCHES: run.topics.searches,
      K_ANONYMITY: '3',
    },
    port,
  );
  return { service, port, dirs };
}

/** The popularity one member publishes after reading `total` records from scratch. */
async function reference(run: Run, total: number): Promise<Popularity> {
  const m = await startMember(run, `cit-ref-${Date.now()}`);
  try {
    return await waitForOffsets(m.dirs.popularityFile, BigInt(total));
  } finally {
    await m.service.stop();
  }
}

/** Waits until the members together own every partition, each at least one, and one publishes. */
async function waitForSpread(members: readonly Member[], partitions: readonly string[]): Promise<Map<Member, string[]>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = await Promise.all(members.map((m) => memberHealth(m.port)));
    const owned = health.flatMap((h) => h.partitions).sort();
    if (health.every((h) => h.partitions.length > 0) && JSON.stringify(owned) === JSON.stringify([...partitions].sort()) && health.filter((h) => h.publisher).length === 1) {
      return new Map(members.map((m, i) => [m, health[i]?.partitions ?? []]));
    }
    if (Date.now() > deadline) throw new Error(`the group never spread ${partitions.length} partitions over ${members.length} members: ${JSON.stringify(health)}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** A snapshot comparable across runs on different topics: partition keys by role, no wall-clock stamp. */
function withoutTopicNames(p: Popularity, run: Run) {
  const role = (key: string) => key.replace(run.topics.views, 'views').replace(run.topics.searches, 'searches');
  return { ...comparable(p), source: { kind: p.source.kind, offsets: Object.fromEntries(Object.entries(p.source.offsets).map(([k, v]) => [role(k), v])) } };
}


describe.skipIf(brokers === '')('popularity consumer against the real broker', () => {
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
