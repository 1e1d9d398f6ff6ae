import { describe, expect, it } from 'vitest';
import { desiredTopics, loadTopicManifest, retentionMs, topicManifestSchema } from './manifest.ts';
import { planTopics, type ActualTopic } from './plan.ts';
import { TOPICS } from '@hangarstack/shared';

const manifest = loadTopicManifest('deploy/kafka/topics.json');

describe('topic manifest', () => {
  it('names every topic the code uses', () => {
    const names = manifest.topics.map((t) => t.name);
    for (const topic of Object.values(TOPICS)) expect(names).toContain(topic);
  });

  it('rejects a duplicate name, a bad retention and an unknown field', () => {
    const topic = { name: 'a', purpose: 'p', key: 'k', partitions: 1, retention: '14d', cleanupPolicy: 'delete' };
    const defaults = { replicationFactor: 3, minInSyncReplicas: 2 };
    expect(topicManifestSchema.safeParse({ defaults, topics: [topic, topic] }).success).toBe(false);
    expect(topicManifestSchema.safeParse({ defaults, topics: [{ ...topic, retention: '2 weeks' }] }).success).toBe(false);
    expect(topicManifestSchema.safeParse({ defaults, topics: [{ ...topic, partitons: 3 }] }).success).toBe(false);
    expect(topicManifestSchema.safeParse({ defaults, topics: [topic] }).success).toBe(true);
  });

  it('turns retention into milliseconds, "forever" into -1', () => {
    expect(retentionMs('14d')).toBe(1_209_600_000);
    expect(retentionMs('36h')).toBe(129_600_000);
    expect(retentionMs('forever')).toBe(-1);
  });

  it('caps replication at the broker count and min ISR at the replication factor', () => {
    const single = desiredTopics(manifest, 1);
    expect(single.every((t) => t.replicationFactor === 1 && t.configs['min.insync.replicas'] === '1')).toBe(true);
    const three = desiredTopics(manifest, 3);
    expect(three.every((t) => t.replicationFactor === 3 && t.configs['min.insync.replicas'] === '2')).toBe(true);
  });
});

describe('planTopics', () => {
  const desired = desiredTopics(manifest, 3, 'p.');
  const views = desired.find((t) => t.name === `p.${TOPICS.views}`);
  if (!views) throw new Error('views topic missing from the manifest');
  const matching = (overrides: Partial<ActualTopic> = {}): ActualTopic => ({
    partitions: views.partitions,
    replicationFactor: 3,
    configs: { ...views.configs },
    ...overrides,
  });

  it('creates every missing topic', () => {
    const plan = planTopics(desired, new Map());
    expect(plan.actions.map((a) => a.kind)).toEqual(desired.map(() => 'create'));
  });

  it('does nothing when the cluster matches', () => {
    const plan = planTopics([views], new Map([[views.name, matching()]]));
    expect(plan).toEqual({ actions: [], warnings: [], unchanged: [views.name] });
  });

  it('adds partitions and alters a drifted config, naming old and new values', () => {
    const plan = planTopics([views], new Map([[views.name, matching({ partitions: 2, configs: { ...views.configs, 'retention.ms': '1000' } })]]));
    expect(plan.actions).toEqual([
      { kind: 'add-partitions', name: views.name, from: 2, to: views.partitions },
      { kind: 'alter-configs', name: views.name, changes: [{ config: 'retention.ms', from: '1000', to: '1209600000' }], configs: views.configs },
    ]);
  });

  it('never shrinks or re-replicates: it warns instead', () => {
    const plan = planTopics([views], new Map([[views.name, matching({ partitions: 12, replicationFactor: 1 })]]));
    expect(plan.actions).toEqual([]);
    expect(plan.warnings.join('\n')).toMatch(/cannot remove partitions[\s\S]*reassignment/);
  });
});
