import { Counter, Gauge, Registry } from 'prom-client';
import { registerDefaultMetrics } from '../observability/default-metrics.ts';

/** The consumer's metrics on a registry of its own. */
export function createConsumerMetrics(registry = new Registry()) {
  registerDefaultMetrics(registry);
  const p = 'hangar_consumer_';
  const metrics = {
    registry,
    processed: new Counter({ name: `${p}events_processed_total`, help: 'Events applied to the popularity state and stored, by topic.', labelNames: ['topic'] as const, registers: [registry] }),
    dropped: new Counter({
      name: `${p}events_dropped_total`,
      help: 'Events not applied, by reason: duplicate, too_old, future, invalid.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    batchFailures: new Counter({ name: `${p}batch_failures_total`, help: 'Batch attempts that failed (each is retried with backoff from the stored state), by topic.', labelNames: ['topic'] as const, registers: [registry] }),
    fencedFlushes: new Counter({
      name: `${p}fenced_flushes_total`,
      help: 'Changelog writes refused because another member had claimed the partition since (this member was frozen or cut off past its session); their batches are left to the new owner, by topic.',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    groupJoins: new Counter({
      name: `${p}group_joins_total`,
      help: 'Times this member joined its group: once at start-up, then once per rebalance (members coming and going, or this one dropped for missing its session, e.g. an event loop blocked past CONSUMER_SESSION_TIMEOUT_MS).',
      registers: [registry],
    }),
    deadLettered: new Counter({ name: `${p}dead_lettered_total`, help: 'Records sent to the dead-letter topic after their batch failed every attempt, by topic.', labelNames: ['topic'] as const, registers: [registry] }),
    lag: new Gauge({ name: `${p}lag_events`, help: 'Records in the source not yet applied, by topic and partition.', labelNames: ['topic', 'partition'] as const, registers: [registry] }),
    snapshotTimestamp: new Gauge({ name: `${p}snapshot_timestamp_seconds`, help: 'When the last popularity snapshot was published (Unix time).', registers: [registry] }),
    snapshotAge: new Gauge({ name: `${p}snapshot_age_seconds`, help: 'Seconds since the last popularity snapshot was published.', registers: [registry] }),
    rebuildsRequested: new Counter({ name: `${p}rebuilds_requested_total`, help: 'Rebuilds started because shown values changed.', registers: [registry] }),
    rebuildsSucceeded: new Counter({ name: `${p}rebuilds_succeeded_total`, help: 'Rebuilds that succeeded.', registers: [registry] }),
    rebuildsFailed: new Counter({ name: `${p}rebuilds_failed_total`, help: 'Rebuilds that failed (the live site was kept).', registers: [registry] }),
    rebuildDuration: new Gauge({ name: `${p}rebuild_last_duration_seconds`, help: 'Duration of the last rebuild.', registers: [registry] }),
    rebuildPending: new Gauge({
      name: `${p}rebuild_pending`,
      help: 'Whether the live site is behind: 1 while a rebuild is scheduled (debounce, minimum interval) or running, else 0.',
      registers: [registry],
    }),
    rebuildBackoff: new Gauge({
      name: `${p}rebuild_backoff_seconds`,
      help: 'How long the next rebuild waits because the last ones failed (exponential per failure in a row, capped, jittered); 0 after a success.',
      registers: [registry],
    }),
  };
  // Every reason is exported from the start (at 0), so rate() and alerts see the series.
  for (const reason of ['duplicate', 'too_old', 'future', 'invalid']) metrics.dropped.inc({ reason }, 0);
  return metrics;
}

export type ConsumerMetrics = ReturnType<typeof createConsumerMetrics>;
