import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';
import { toKafkaJsConfig, type KafkaConnection } from '../kafka-connection.ts';
import { desiredTopics, type DesiredTopic, type TopicManifest } from './manifest.ts';
import { describeAction, planTopics, type ActualTopic, type TopicPlan } from './plan.ts';

// kafkajs is CommonJS and Node's named-export detection misses this enum: read it off the default export.
const TOPIC_RESOURCE = kafkajs.ConfigResourceTypes.TOPIC;

export interface ApplyOptions {
  /** Print the plan, change nothing. */
  dryRun?: boolean;
  /** Prepended to every topic name (tests apply the real manifest beside other tests' topics). */
  prefix?: string;
  log?: (line: string) => void;
}

export interface ApplyResult extends TopicPlan {
  brokerCount: number;
  applied: boolean;
}

/**
 * Makes the cluster match the manifest with the Kafka admin API: creates missing topics, adds
 * partitions and alters configs where they differ, never deletes. Running it twice changes nothing
 * the second time. Alter uses the non-incremental AlterConfigs call with every managed config, so
 * the topic ends with exactly the manifest's values.
 */
export async function applyTopics(connection: KafkaConnection, manifest: TopicManifest, options: ApplyOptions = {}): Promise<ApplyResult> {
  const log = options.log ?? (() => undefined);
  const admin = new Kafka({ ...toKafkaJsConfig(connection), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const desired = desiredTopics(manifest, brokers.length, options.prefix);
    const managed = [...new Set(desired.flatMap((t) => Object.keys(t.configs)))];
    const actual = await readTopics(admin, desired.map((t) => t.name), managed);
    const plan = planTopics(desired, actual);
    for (const warning of plan.warnings) log(`warning: ${warning}`);
    for (const action of plan.actions) log(`${options.dryRun ? 'would ' : ''}${describeAction(action)}`);
    if (plan.actions.length === 0) log(`all ${desired.length} topics match the manifest`);
    if (!options.dryRun && plan.actions.length > 0) {
      await execute(admin, plan);
      await waitUntilMatching(admin, desired, managed);
    }
    return { ...plan, brokerCount: brokers.length, applied: !options.dryRun };
  } finally {
    await admin.disconnect();
  }
}

async function execute(admin: Admin, plan: TopicPlan): Promise<void> {
  const creates = plan.actions.flatMap((a) => (a.kind === 'create' ? [a.topic] : []));
  if (creates.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: creates.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const additions = plan.actions.flatMap((a) => (a.kind === 'add-partitions' ? [{ topic: a.name, count: a.to }] : []));
  if (additions.length > 0) await admin.createPartitions({ topicPartitions: additions });
  const alters = plan.actions.flatMap((a) => (a.kind === 'alter-configs' ? [a] : []));
  if (alters.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: alters.map((a) => ({
        type: TOPIC_RESOURCE,
        name: a.name,
        configEntries: Object.entries(a.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }
}

/**
 * Brokers apply admin changes through the metadata log, so a read straight after a write can
 * still see the old value: poll until the cluster reports what was asked (or say what is not).
 */
async function waitUntilMatching(admin: Admin, desired: readonly DesiredTopic[], managed: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = planTopics(desired, await readTopics(admin, desired.map((t) => t.name), managed)).actions;
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the cluster did not reach the manifest within ${timeoutMs / 1000} s; still pending: ${pending.map(describeAction).join('; ')}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** Partitions, replication factor and the managed configs of those of `names` that exist. */
export async function readTopics(admin: Admin, names: readonly string[], configNames: readonly string[]): Promise<Map<string, ActualTopic>> {
  const existing = new Set(await admin.listTopics());
  const present = names.filter((name) => existing.has(name));
  const topics = new Map<string, ActualTopic>();
  if (present.length === 0) return topics;
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({ type: TOPIC_RESOURCE, name, configNames: [...configNames] })),
  });
  for (const topic of metadata.topics) {
    const resource = described.resources.find((r) => r.resourceName === topic.name);
    topics.set(topic.name, {
      partitions: topic.partitions.length,
      replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
      configs: Object.fromEntries((resource?.configEntries ?? []).map((e) => [e.configName, e.configValue])),
    });
  }
  return topics;
}
