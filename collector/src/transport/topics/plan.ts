import type { DesiredTopic } from './manifest.ts';

/** A topic as the cluster has it now. */
export interface ActualTopic {
  partitions: number;
  replicationFactor: number;
  /** The current values of the configs the manifest manages. */
  configs: Record<string, string>;
}

export type TopicAction =
  | { kind: 'create'; topic: DesiredTopic }
  | { kind: 'add-partitions'; name: string; from: number; to: number }
  | { kind: 'alter-configs'; name: string; changes: { config: string; from: string | undefined; to: string }[]; configs: Record<string, string> };

export interface TopicPlan {
  actions: TopicAction[];
  /** Differences the admin API must not fix by itself (they would lose data or need a reassignment). */
  warnings: string[];
  /** Topics that already match. */
  unchanged: string[];
}

/**
 * What to do so the cluster matches the manifest. Pure, so every branch is unit-tested; nothing
 * here ever deletes a topic or shrinks one (Kafka cannot remove partitions without losing data).
 */
export function planTopics(desired: readonly DesiredTopic[], actual: ReadonlyMap<string, ActualTopic>): TopicPlan {
  const plan: TopicPlan = { actions: [], warnings: [], unchanged: [] };
  for (const topic of desired) {
    const now = actual.get(topic.name);
    if (!now) {
      plan.actions.push({ kind: 'create', topic });
      continue;
    }
    let changed = false;
    if (now.partitions < topic.partitions) {
      plan.actions.push({ kind: 'add-partitions', name: topic.name, from: now.partitions, to: topic.partitions });
      changed = true;
    } else if (now.partitions > topic.partitions) {
      plan.warnings.push(`${topic.name}: has ${now.partitions} partitions, the manifest says ${topic.partitions}; Kafka cannot remove partitions, so raise the manifest to ${now.partitions}`);
    }
    if (now.replicationFactor !== topic.replicationFactor) {
      plan.warnings.push(`${topic.name}: replication factor is ${now.replicationFactor}, the manifest wants ${topic.replicationFactor}; change it with a partition reassignment (kafka-reassign-partitions), not here`);
    }
    const changes = Object.entries(topic.configs)
      .filter(([config, value]) => now.configs[config] !== value)
      .map(([config, to]) => ({ config, from: now.configs[config], to }));
    if (changes.length > 0) {
      plan.actions.push({ kind: 'alter-configs', name: topic.name, changes, configs: topic.configs });
      changed = true;
    }
    if (!changed) plan.unchanged.push(topic.name);
  }
  return plan;
}

export function describeAction(action: TopicAction): string {
  switch (action.kind) {
    case 'create': {
      const t = action.topic;
      const configs = Object.entries(t.configs).map(([k, v]) => `${k}=${v}`).join(' ');
      return `create ${t.name}: ${t.partitions} partitions, replication ${t.replicationFactor}, ${configs}`;
    }
    case 'add-partitions':
      return `add partitions to ${action.name}: ${action.from} → ${action.to}`;
    case 'alter-configs':
      return `alter ${action.name}: ${action.changes.map((c) => `${c.config} ${c.from ?? '(unset)'} → ${c.to}`).join(', ')}`;
  }
}
