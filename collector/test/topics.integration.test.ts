import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBroker, testKafkaBrokers } from '@hangarstack/testing/kafka';
import { applyTopics } from '../src/transport/topics/apply.ts';
import { loadTopicManifest, retentionMs } from '../src/transport/topics/manifest.ts';

const brokers = testKafkaBrokers() ?? '';
const manifest = loadTopicManifest('deploy/kafka/topics.json');
// The real manifest under a per-run prefix, so other tests' topics on the shared broker are untouched.
const prefix = `it-topics-${Date.now()}-${process.pid}.`;
const connection = { brokers: brokers.split(','), clientId: 'topics-it', ssl: false as const };

describeWithBroker('topic manifest applied to a real broker (read back with the admin API)', () => {
  const admin = new Kafka({ clientId: 'topics-it-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  async function readBack(name: string, extra: readonly string[] = []) {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [name] })).topics;
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy', 'retention.ms', 'min.insync.replicas', ...extra] }],
    });
    const configs = Object.fromEntries((described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
    return { partitions: metadata?.partitions.length, configs };
  }

  it('creates every topic with its partitions, retention, cleanup policy and min ISR; a second run changes nothing', async () => {
    const first = await applyTopics(connection, manifest, { prefix });
    expect(first.actions.filter((a) => a.kind === 'create')).toHaveLength(manifest.topics.length);
    for (const topic of manifest.topics) {
      const actual = await readBack(prefix + topic.name, Object.keys(topic.config ?? {}));
      expect(actual, topic.name).toEqual({
        partitions: topic.partitions,
        configs: { 'cleanup.policy': topic.cleanupPolicy, 'retention.ms': String(retentionMs(topic.retention)), 'min.insync.replicas': '1', ...topic.config },
      });
    }
    const second = await applyTopics(connection, manifest, { prefix });
    expect(second.actions).toEqual([]);
    expect(second.unchanged).toHaveLength(manifest.topics.length);
  });

  it('repairs drift: a changed retention is altered back, missing partitions are added, nothing is deleted', async () => {
    const views = manifest.topics.find((t) => t.name === 'hangarstack.aircraft.views');
    if (!views) throw new Error('views topic missing from the manifest');
    const name = prefix + views.name;
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    // The broker applies a config change through its metadata log: wait until it reads back.
    await expect.poll(async () => (await readBack(name)).configs['retention.ms'], { timeout: 15_000 }).toBe('60000');
    const grown = { ...manifest, topics: manifest.topics.map((t) => (t.name === views.name ? { ...t, partitions: t.partitions + 2 } : t)) };
    const result = await applyTopics(connection, grown, { prefix });
    expect(result.actions.map((a) => a.kind).sort()).toEqual(['add-partitions', 'alter-configs']);
    const actual = await readBack(name);
    expect(actual.partitions).toBe(views.partitions + 2);
    expect(actual.configs['retention.ms']).toBe(String(retentionMs(views.retention)));
    // The manifest shrinking back is only a warning: Kafka keeps the partitions and the data.
    const shrunk = await applyTopics(connection, manifest, { prefix });
    expect(shrunk.warnings.join('\n')).toContain('cannot remove partitions');
    expect((await readBack(name)).partitions).toBe(views.partitions + 2);
    expect((await admin.listTopics()).filter((t) => t.startsWith(prefix))).toHaveLength(manifest.topics.length);
  });

  it('a dry run reports the plan and creates nothing', async () => {
    const dryPrefix = `${prefix}dry.`;
    const lines: string[] = [];
    const result = await applyTopics(connection, manifest, { prefix: dryPrefix, dryRun: true, log: (l) => lines.push(l) });
    expect(result.applied).toBe(false);
    expect(lines.filter((l) => l.startsWith('would create'))).toHaveLength(manifest.topics.length);
    expect((await admin.listTopics()).filter((t) => t.startsWith(dryPrefix))).toEqual([]);
  });
});
