import { pino } from 'pino';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { BROWSER_UA } from '@hangarstack/testing/user-agents';
import { SinkUnavailableError, type EventSink, type LogRecord } from '../../src/transport/sinks/types.ts';
import { createApp } from '../../src/ingest/app.ts';
import { createCollectorMetrics } from '../../src/ingest/metrics.ts';
import { RateLimiter } from '../../src/ingest/rate-limit.ts';
import { createClientResolver } from '../../src/ingest/client-address.ts';
import { SaltStore } from '../../src/ingest/salt-store.ts';

/** An in-memory sink for in-process tests; `failWith` makes the next sends fail like a dead sink. */
export class MemorySink implements EventSink {
  readonly kind = 'embedded';
  /** Everything sent, in order, on every topic. */
  readonly all: LogRecord[] = [];
  failWith: Error | undefined;
  async send(records: readonly LogRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.all.push(...records);
  }
  /** The records on the views and searches topics (popularity's input). */
  get records(): LogRecord[] {
    return this.all.filter((r) => r.topic !== 'activity');
  }
  /** The records on the user activity topic. */
  get activity(): LogRecord[] {
    return this.all.filter((r) => r.topic === 'activity');
  }
  ready() {
    return { ok: !this.failWith, detail: 'memory' };
  }
  async close(): Promise<void> {}
}

export const SITE = 'http://localhost:4321';

/**
 * A collector app wired to a memory sink, fresh metrics, a temp salt dir and the real client
 * resolver. In-process requests have no socket: the `x-test-peer` header plays the TCP peer
 * (default 203.0.113.7), so proxy headers are resolved exactly as in the service.
 */
export function testApp(options: { perMinute?: number; burst?: number; trustedProxies?: string[]; clientIpHeader?: string } = {}) {
  const sink = new MemorySink();
  const resolveClient = createClientResolver({ trustedProxies: options.trustedProxies ?? [], clientIpHeader: options.clientIpHeader ?? null });
  const metrics = createCollectorMetrics();
  const app = createApp({
    sink,
    metrics,
    log: pino({ level: 'silent' }),
    salts: new SaltStore(tempDir('salts-')),
    rateLimiter: new RateLimiter({ perMinute: options.perMinute ?? 600, burst: options.burst ?? 100 }),
    aircraft: new Set(['concorde', 'boeing-747-400']),
    siteId: 'test',
    topics: { views: 'views', searches: 'searches', activity: 'activity' },
    corsOrigins: [SITE],
    clientNetwork: (c) => resolveClient({ peer: c.req.header('x-test-peer') ?? '203.0.113.7', header: (name) => c.req.header(name) }),
  });
  return { app, sink, metrics, unavailable: (retry = 5) => new SinkUnavailableError('down', retry) };
}

let counter = 0;
/** A unique, valid event id. */
export const eventId = (): string => `evt-${Date.now().toString(36)}-${(counter++).toString(36).padStart(8, '0')}`;

export const view = (aircraft = 'concorde') => ({ type: 'view', id: eventId(), ts: Date.now(), aircraft });
export const search = (query = 'Concorde', extra: Record<string, unknown> = {}) => ({ type: 'search', id: eventId(), ts: Date.now(), query, results: 3, ...extra });

/** A beacon POST as browsers send it, Content-Length included (an in-process `Request` would not add it). */
export function post(body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER_UA, origin: SITE, 'content-length': String(length), ...headers },
    body,
  };
}
