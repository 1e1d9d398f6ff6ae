import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '@hangarstack/shared';

/**
 * The topic manifest (deploy/kafka/topics.json): every topic HangarStack uses, with the settings
 * operators care about. The file is the single source of truth; `applyTopics` makes a cluster
 * match it without ever deleting anything.
 */

const retentionSchema = z
  .string()
  .regex(/^(forever|\d+[hd])$/, 'must be "forever" or a number of hours or days, like "36h" or "14d"');

const topicSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be a legal Kafka topic name'),
  /** Why the topic exists: printed by the CLI, read by humans. */
  purpose: z.string().min(1),
  /** What the record key is; producers key by it so related records share a partition. */
  key: z.string().min(1),
  partitions: z.number().int().min(1).max(1000),
  retention: retentionSchema,
  cleanupPolicy: z.enum(['delete', 'compact', 'compact,delete']),
  replicationFactor: z.number().int().min(1).max(10).optional(),
  minInSyncReplicas: z.number().int().min(1).max(10).optional(),
  /** Further topic configs (e.g. `segment.ms` for a compacted topic), applied verbatim. */
  config: z.record(z.string().regex(/^[a-z.]+$/), z.string()).optional(),
});

export const topicManifestSchema = z.strictObject({
  $comment: z.string().optional(),
  defaults: z.strictObject({
    replicationFactor: z.number().int().min(1).max(10),
    minInSyncReplicas: z.number().int().min(1).max(10),
  }),
  topics: z
    .array(topicSchema)
    .min(1)
    .refine((topics) => new Set(topics.map((t) => t.name)).size === topics.length, 'topic names must be unique'),
});

export type TopicManifest = z.infer<typeof topicManifestSchema>;
export type TopicSpec = z.infer<typeof topicSchema>;

/** A topic as the cluster should have it, after defaults and the cluster's size are applied. */
export interface DesiredTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Every config the manifest manages, as Kafka spells them. */
  configs: Record<string, string>;
}

/** Where the manifest lives, relative to the repository root (the Docker images copy it there too). */
export const DEFAULT_MANIFEST_PATH = 'deploy/kafka/topics.json';

export function loadTopicManifest(path = DEFAULT_MANIFEST_PATH): TopicManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the topic manifest ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = topicManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`the topic manifest ${path} is invalid; fix:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function retentionMs(retention: string): number {
  if (retention === 'forever') return -1;
  const amount = Number(retention.slice(0, -1));
  return amount * (retention.endsWith('d') ? 86_400_000 : 3_600_000);
}

/**
 * The manifest resolved for a cluster of `brokerCount` brokers: a replication factor above the
 * broker count cannot be created, so it is capped (one local broker gets 1), and min ISR never
 * exceeds the replication factor (else every acks=all write would fail).
 */
export function desiredTopics(manifest: TopicManifest, brokerCount: number, prefix = ''): DesiredTopic[] {
  return manifest.topics.map((topic) => {
    const replicationFactor = Math.min(topic.replicationFactor ?? manifest.defaults.replicationFactor, Math.max(1, brokerCount));
    const minIsr = Math.min(topic.minInSyncReplicas ?? manifest.defaults.minInSyncReplicas, replicationFactor);
    return {
      name: prefix + topic.name,
      partitions: topic.partitions,
      replicationFactor,
      configs: {
        'cleanup.policy': topic.cleanupPolicy,
        'retention.ms': String(retentionMs(topic.retention)),
        'min.insync.replicas': String(minIsr),
        ...topic.config,
      },
    };
  });
}
