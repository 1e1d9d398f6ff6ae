import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerDefaultMetrics } from '../observability/default-metrics.ts';

/** Why an event or a beacon was not accepted; bounded, so it is safe as a label. */
export const REJECT_REASONS = [
  'unsupported_media_type',
  'body_too_large',
  'invalid_utf8',
  'invalid_json',
  'invalid_beacon',
  'invalid_event',
  'unknown_aircraft',
  'unknown_clicked_aircraft',
  'origin_not_allowed',
  'sink_unavailable',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * The collector's metrics, on a registry of its own (never prom-client's global one), so tests
 * and several apps in one process do not share counters.
 */
export function createCollectorMetrics(registry = new Registry()) {
  registerDefaultMetrics(registry);
  const prefix = 'hangar_collector_';
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request latency by route pattern and method.',
      labelNames: ['route', 'method'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventsAccepted: new Counter({
      name: `${prefix}events_accepted_total`,
      help: 'Events made durable (Kafka ack, spool or embedded log), by type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: `${prefix}events_rejected_total`,
      help: 'Events (or whole beacons, when unreadable) rejected, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    botDropped: new Counter({
      name: `${prefix}bot_dropped_total`,
      help: 'Beacons from bots, answered 2xx and dropped.',
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: `${prefix}rate_limited_total`,
      help: 'Beacons answered 429 by the per-client rate limit.',
      registers: [registry],
    }),
    kafkaSendDuration: new Histogram({
      name: `${prefix}kafka_send_duration_seconds`,
      help: 'Time for one batch to be acknowledged by Kafka (acks=all).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    kafkaSendErrors: new Counter({
      name: `${prefix}kafka_send_errors_total`,
      help: 'Batches Kafka did not acknowledge (they went to the spool).',
      registers: [registry],
    }),
    spoolDepth: new Gauge({
      name: `${prefix}spool_depth_events`,
      help: 'Events in the local durable spool waiting for Kafka.',
      registers: [registry],
    }),
    spoolBytes: new Gauge({
      name: `${prefix}spool_bytes`,
      help: 'Bytes of events in the local durable spool.',
      registers: [registry],
    }),
    sinkUp: new Gauge({
      name: `${prefix}sink_up`,
      help: '1 when the primary sink (Kafka, or the embedded log) is reachable.',
      registers: [registry],
    }),
  };
  // Every reason and type is exported from the start (at 0), so rate() and alerts see the series.
  for (const reason of REJECT_REASONS) metrics.eventsRejected.inc({ reason }, 0);
  for (const type of ['view', 'search']) metrics.eventsAccepted.inc({ type }, 0);
  return metrics;
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
