import { AssignerProtocol, Kafka, logLevel, type Producer } from 'kafkajs';
import type { ActivityRecord, EventRecord, Popularity } from '@hangarstack/shared';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { freePort } from '@hangarstack/testing/free-port';
import { consumerEntry, consumerEnv, consumerNodeArgs } from '@hangarstack/collector/entries';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

export type ConsumerProcess = ServiceProcess;

/** What a consumer's /healthz says about its share of the group. */
export interface MemberHealth {
  partitions: string[];
  publisher: boolean;
}

export async function memberHealth(port: number): Promise<MemberHealth> {
  return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as MemberHealth;
}

/**
 * Runs `node collector/src/consumer/main.ts` as a real process (metrics on `port`, or a free one),
 * without rebuilds and publishing every 100 ms; `env` overrides any of it; its output lines go to
 * `out` (dropped by default). The one consumer starter: integration tests and the bench.
 */
export async function startConsumerProcess(env: Record<string, string>, port?: number, out: (line: string) => void = () => undefined): Promise<ConsumerProcess> {
  // A port of its own picked here too: the default activity topic below is named after it.
  const chosen = port ?? (await freePort());
  return startServiceProcess({
    name: 'consumer',
    entry: consumerEntry,
    nodeArgs: consumerNodeArgs,
    portVariable: 'METRICS_PORT',
    port: chosen,
    // The run's own activity topic unless told (beside its views topic, so group members share
    // it): the default one on the shared test broker gets every collector test's page views.
    env: {
      ...consumerEnv,
      REBUILD: 'off',
      LOG_LEVEL: 'warn',
      PUBLISH_INTERVAL_MS: '100',
      KAFKA_TOPIC_ACTIVITY: env.KAFKA_TOPIC_VIEWS ? `${env.KAFKA_TOPIC_VIEWS}.activity` : `it.activity.${process.pid}.${chosen}`,
      ...env,
    },
    out,
  });
}

/** Waits until the snapshot reflects `total` records across all partitions of the given topics. */
export async function waitForOffsets(path: string, total: bigint, timeoutMs = 60_000): Promise<Popularity> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = readPopularityFile(path);
    if (p && appliedRecords(p) >= total) return p;
    if (Date.now() > deadline) throw new Error(`popularity at ${path} did not reach ${total} records in ${timeoutMs} ms: ${JSON.stringify(p?.source)}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** The next offsets a snapshot reflects, summed over every partition it read. */
export const appliedRecords = (p: Popularity | null): bigint => (p ? Object.values(p.source.offsets).reduce((sum, o) => sum + BigInt(o), 0n) : 0n);

/** Which partitions (`topic:partition`) each live member of a consumer group holds, as the broker says. */
export async function groupAssignments(brokers: string, group: string): Promise<string[][]> {
  const admin = new Kafka({ clientId: 'consumer-it', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    return (groups[0]?.members ?? []).map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return Object.entries(decoded?.assignment ?? {}).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}:${p}`));
    });
  } finally {
    await admin.disconnect();
  }
}

/** The snapshot without its wall-clock stamp, for comparing runs. */
export const comparable = (p: Popularity) => ({ ...p, generatedAt: '' });

export async function createTopics(brokers: string, topics: string[], partitions = 3): Promise<void> {
  const admin = new Kafka({ clientId: 'consumer-it', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
  await admin.disconnect();
}

export async function producer(brokers: string): Promise<Producer> {
  const p = new Kafka({ clientId: 'consumer-it', brokers: [brokers], logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  return p;
}

/** Produces records the way the collector does: keyed by aircraft slug or normalised query. */
export async function produceRecords(p: Producer, topics: { views: string; searches: string }, records: readonly (EventRecord | ActivityRecord)[]): Promise<void> {
  const views = records.filter((r) => r.type === 'view');
  const searches = records.filter((r) => r.type === 'search');
  const activity = records.filter((r) => r.type === 'activity');
  await p.sendBatch({
    acks: -1,
    topicMessages: [
      { topic: topics.views, messages: views.map((r) => ({ key: r.aircraft, value: JSON.stringify(r) })) },
      { topic: topics.searches, messages: searches.map((r) => ({ key: r.query, value: JSON.stringify(r) })) },
      // The starter names each run's activity topic after its views topic; keyed by visitor, as the collector does.
      { topic: `${topics.views}.activity`, messages: activity.map((r) => ({ key: r.visitor, value: JSON.stringify(r) })) },
    ].filter((t) => t.messages.length > 0),
  });
}
