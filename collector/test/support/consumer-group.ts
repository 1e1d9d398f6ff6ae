/**
 * Consumer-group runs against the real broker, shared by the consumer integration tests: a
 * deterministic stream, fresh topics per run, members with disks of their own, and the reference
 * popularity of one uninterrupted member.
 */
import type { ActivityRecord, EventRecord, Popularity } from '@hangarstack/shared';
import { freePort } from '@hangarstack/testing/free-port';
import { testKafkaBrokers } from '@hangarstack/testing/kafka';
import type { RunningService } from '@hangarstack/testing/supervisor';
import { consumerDirs, type ConsumerDirs } from './consumer-dirs.ts';
import { comparable, createTopics, memberHealth, startConsumerProcess, waitForOffsets } from './consumer-process.ts';

const HOUR = 3_600_000;
const brokers = testKafkaBrokers() ?? '';

let seq = 0;
/**
 * A deterministic stream: aircraft i gets views from (i+1) distinct visitors, plus repeats; searches
 * over a few queries; user activity (aircraft page views of the same 17 visitors, so co-view pairs
 * past k origins, counted in the activity partitions and merged across them).
 */
export function stream(count: number, base = Date.now() - 2 * HOUR): (EventRecord | ActivityRecord)[] {
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

export interface Run {
  topics: { views: string; searches: string };
  /** Every partition of the three topics it reads (views, searches, user activity), as the consumer names them. */
  partitions: string[];
}

export async function newRun(name: string): Promise<Run> {
  const id = `${name}.${Date.now()}`;
  const topics = { views: `cit.${id}.views`, searches: `cit.${id}.searches` };
  // The starter gives each run's members the activity topic beside its views topic.
  const activity = `${topics.views}.activity`;
  await createTopics(brokers, [topics.views, topics.searches, activity]);
  return { topics, partitions: [topics.views, topics.searches, activity].flatMap((t) => [0, 1, 2].map((p) => `${t}:${p}`)) };
}

/** One consumer-group member with a disk of its own (nothing shared with other members). */
export interface Member {
  service: RunningService;
  port: number;
  dirs: ConsumerDirs;
}

/** A member's /metrics exposition. */
export const scrape = async (m: Member): Promise<string> => (await fetch(`http://127.0.0.1:${m.port}/metrics`)).text();

/** Sum of a counter over all its series in an exposition (0 when absent). */
export function counter(exposition: string, name: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export async function startMember(run: Run, group: string, dirs: ConsumerDirs = consumerDirs(), env: Record<string, string> = {}): Promise<Member> {
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
      ...env,
    },
    port,
  );
  return { service, port, dirs };
}

/** The popularity one member publishes after reading `total` records from scratch. */
export async function reference(run: Run, total: number): Promise<Popularity> {
  const m = await startMember(run, `cit-ref-${Date.now()}`);
  try {
    return await waitForOffsets(m.dirs.popularityFile, BigInt(total));
  } finally {
    await m.service.stop();
  }
}

/** Waits until the members together own every partition, each at least one, and one publishes. */
export async function waitForSpread(members: readonly Member[], partitions: readonly string[]): Promise<Map<Member, string[]>> {
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
export function withoutTopicNames(p: Popularity, run: Run) {
  const role = (key: string) => key.replace(run.topics.views, 'views').replace(run.topics.searches, 'searches');
  return { ...comparable(p), source: { kind: p.source.kind, offsets: Object.fromEntries(Object.entries(p.source.offsets).map(([k, v]) => [role(k), v])) } };
}
