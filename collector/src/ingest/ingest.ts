import type { Context } from 'hono';
import { isbot } from 'isbot';
import { z } from 'zod';
import {
  BEACON_LIMITS,
  RECORD_SCHEMA_VERSION,
  beaconEventSchema,
  activityRecordSchema,
  eventRecordSchema,
  filterKey,
  hasFilters,
  normaliseQuery,
  searchRecordSchema,
  type BeaconEvent,
  type EventRecord,
} from '@hangarstack/shared';
import { SinkUnavailableError, type EventSink, type LogRecord } from '../transport/sinks/types.ts';
import type { CollectorMetrics, RejectReason } from './metrics.ts';
import type { ClientNetwork } from './client-address.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { SaltStore } from './salt-store.ts';
import { boundedUserAgent, deviceClass, originId, visitorId } from './visitor.ts';

/** The envelope is checked first; events one by one after, so one bad event costs only itself. */
const envelopeSchema = z.strictObject({
  v: z.literal(1),
  events: z.array(z.unknown()).min(1).max(BEACON_LIMITS.maxEvents),
});

const ACCEPTED_TYPES = new Set(['text/plain', 'application/json']);
/** Stateless between calls (no `stream` option), so one instance serves every request. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** 413 for a beacon over the size limit, counted; also the answer of the body-limit middleware. */
export function bodyTooLarge(c: Context, metrics: CollectorMetrics): Response {
  metrics.eventsRejected.inc({ reason: 'body_too_large' });
  return c.json({ error: 'body_too_large', message: `a beacon is at most ${BEACON_LIMITS.maxBodyBytes} bytes` }, 413);
}

export interface IngestDeps {
  sink: EventSink;
  metrics: CollectorMetrics;
  salts: SaltStore;
  rateLimiter: RateLimiter;
  aircraft: ReadonlySet<string>;
  siteId: string;
  topics: { views: string; searches: string; activity: string };
  /** Host names of the site itself: a referrer from one of them is dropped (default: none). */
  ownHosts?: ReadonlySet<string>;
  /** The client's network, resolved through trusted proxies (see client-address.ts); never stored. */
  clientNetwork: (c: Context) => ClientNetwork;
  now?: () => number;
}

interface Rejection {
  index: number;
  reason: RejectReason;
  message: string;
}

/**
 * `POST /v1/events`, top to bottom: media type → bytes → UTF-8 → JSON → envelope → user agent cut
 * to 512 characters → bot filter → client network → rate limit per origin → per-event validation
 * and slug check → enrich → sink. Answers 202 with what was accepted and why anything was
 * rejected; 2xx only after the sink made every accepted event durable. Nothing of the raw IP or
 * user agent leaves this function.
 */
export function createIngestHandler(deps: IngestDeps) {
  const now = deps.now ?? Date.now;
  const reject = (c: Context, status: 400 | 415, reason: RejectReason, message: string) => {
    deps.metrics.eventsRejected.inc({ reason });
    return c.json({ error: reason, message }, status);
  };

  return async function ingest(c: Context): Promise<Response> {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_TYPES.has(mediaType)) {
      deps.metrics.eventsRejected.inc({ reason: 'unsupported_media_type' });
      return c.json({ error: 'unsupported_media_type', message: 'send the beacon as text/plain or application/json' }, 415, {
        Accept: 'text/plain, application/json',
      });
    }
    const bytes = await c.req.arrayBuffer();
    if (bytes.byteLength > BEACON_LIMITS.maxBodyBytes) return bodyTooLarge(c, deps.metrics);
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      return reject(c, 400, 'invalid_utf8', 'the body is not valid UTF-8');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reject(c, 400, 'invalid_json', 'the body is not valid JSON');
    }
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) {
      return reject(c, 400, 'invalid_beacon', `expected {"v":1,"events":[1..${BEACON_LIMITS.maxEvents} events]}: ${z.prettifyError(envelope.error)}`);
    }

    const userAgent = boundedUserAgent(c.req.header('user-agent'));
    if (isbot(userAgent)) {
      deps.metrics.botDropped.inc();
      return c.body(null, 204);
    }
    const network = deps.clientNetwork(c);
    const salt = deps.salts.current();
    const origin = originId(salt, network, deps.siteId);
    // Per client network, not per visitor: a new user agent must not buy a new bucket.
    const wait = deps.rateLimiter.take(origin);
    if (wait > 0) {
      deps.metrics.rateLimited.inc();
      return c.json({ error: 'rate_limited', message: `too many beacons; retry in ${wait} s` }, 429, { 'Retry-After': String(wait) });
    }

    const rejected: Rejection[] = [];
    const accepted: BeaconEvent[] = [];
    envelope.data.events.forEach((raw, index) => {
      const parsed = beaconEventSchema.safeParse(raw);
      if (!parsed.success) {
        rejected.push({ index, reason: 'invalid_event', message: z.prettifyError(parsed.error) });
      } else if (parsed.data.type === 'view' && !deps.aircraft.has(parsed.data.aircraft)) {
        rejected.push({ index, reason: 'unknown_aircraft', message: `no aircraft "${parsed.data.aircraft}"` });
      } else if (parsed.data.type === 'search' && parsed.data.clicked !== undefined && !deps.aircraft.has(parsed.data.clicked)) {
        rejected.push({ index, reason: 'unknown_clicked_aircraft', message: `no aircraft "${parsed.data.clicked}"` });
      } else {
        accepted.push(parsed.data);
      }
    });
    for (const r of rejected) deps.metrics.eventsRejected.inc({ reason: r.reason });
    if (accepted.length === 0) return c.json({ accepted: 0, rejected }, 400);

    const receivedAt = now();
    const enrichment = { receivedAt, visitor: visitorId(salt, network, userAgent, deps.siteId), origin, device: deviceClass(userAgent) };
    const ownHosts = deps.ownHosts ?? new Set<string>();
    const records = accepted.flatMap((event) => toLogRecords(event, enrichment, deps.topics, ownHosts));
    try {
      await deps.sink.send(records);
    } catch (error) {
      if (!(error instanceof SinkUnavailableError)) throw error;
      deps.metrics.eventsRejected.inc({ reason: 'sink_unavailable' }, accepted.length);
      return c.json({ error: 'unavailable', message: 'events could not be stored; retry later' }, 503, {
        'Retry-After': String(error.retryAfterSeconds),
      });
    }
    for (const event of accepted) deps.metrics.eventsAccepted.inc({ type: event.type });
    return c.json({ accepted: accepted.length, rejected }, 202);
  };
}

/**
 * The records one beacon event becomes: an aircraft view goes to the views topic (popularity) and,
 * fanned out with the same id, to the activity topic (keyed by visitor); a page view only to the
 * activity topic; a search to the searches topic. Every record passes its topic's schema first.
 */
function toLogRecords(
  event: BeaconEvent,
  enrichment: Pick<EventRecord, 'receivedAt' | 'visitor' | 'origin' | 'device'>,
  topics: { views: string; searches: string; activity: string },
  ownHosts: ReadonlySet<string>,
): LogRecord[] {
  const common = { schema: RECORD_SCHEMA_VERSION, id: event.id, clientTs: event.ts, ...enrichment } as const;
  if (event.type === 'search') {
    const filters = hasFilters(event.filters) ? { filters: event.filters } : {};
    const search = searchRecordSchema.parse({ ...common, type: 'search', query: normaliseQuery(event.query), results: event.results, clicked: event.clicked ?? null, ...filters });
    // A search without a query (filters only) is keyed by its filters, so such searches spread over partitions too.
    return [{ topic: topics.searches, key: search.query || filterKey(search.filters ?? {}), value: JSON.stringify(search) }];
  }
  const ref = event.ref !== undefined && !ownHosts.has(event.ref) ? event.ref : null;
  const activity = activityRecordSchema.parse({
    ...common,
    type: 'activity',
    page: event.type === 'view' ? 'aircraft' : event.page,
    aircraft: event.type === 'view' ? event.aircraft : null,
    ref,
    // Without the flag (an older beacon) a page is an entry only when it came from elsewhere.
    entry: event.entry ?? ref !== null,
  });
  const out: LogRecord[] = [{ topic: topics.activity, key: activity.visitor, value: JSON.stringify(activity) }];
  if (event.type === 'view') {
    const view = eventRecordSchema.parse({ ...common, type: 'view', aircraft: event.aircraft });
    out.unshift({ topic: topics.views, key: event.aircraft, value: JSON.stringify(view) });
  }
  return out;
}
