import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import { BEACON_LIMITS } from '@hangarstack/shared';
import type { EventSink } from '../transport/sinks/types.ts';
import { beaconBodyLimit, declaresBody } from './body-limit.ts';
import { bodyTooLarge, createIngestHandler, type IngestDeps } from './ingest.ts';
import type { CollectorMetrics } from './metrics.ts';

export interface AppDeps extends IngestDeps {
  sink: EventSink;
  metrics: CollectorMetrics;
  log: Logger;
  corsOrigins: readonly string[];
  /** Set while shutting down: /readyz answers 503 so load balancers stop routing here. */
  draining?: () => boolean;
}

const KNOWN_ROUTES = new Set(['/v1/events', '/healthz', '/readyz', '/metrics']);
const UNREAD_BODY_STATUSES = new Set([403, 404, 405, 413, 415]);

/**
 * The collector as a Hono app: everything but the socket, so tests call it in-process with
 * `app.request(...)` and main.ts serves it with @hono/node-server.
 *
 * @example
 * const app = createApp({ sink, metrics, log, salts, rateLimiter, aircraft, siteId, topics, corsOrigins, clientNetwork });
 * const res = await app.request('/v1/events', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const allowed = new Set(deps.corsOrigins);

  app.use('*', async function observe(c, next) {
    const end = deps.metrics.httpDuration.startTimer();
    await next();
    const path = routePath(c, -1);
    const route = KNOWN_ROUTES.has(path) ? path : 'unmatched';
    end({ route, method: c.req.method });
    deps.metrics.httpRequests.inc({ route, method: c.req.method, status: String(c.res.status) });
    // These answers leave the request body unread: ask the client not to reuse the connection,
    // or its next request on it races the server closing it and ends in a reset, not an answer.
    if (UNREAD_BODY_STATUSES.has(c.res.status) && declaresBody(c)) {
      c.res.headers.set('Connection', 'close');
    }
  });

  app.use(
    '/v1/events',
    cors({ origin: (origin) => (allowed.has(origin) ? origin : null), allowMethods: ['POST'], allowHeaders: ['Content-Type'], maxAge: 86_400 }),
    async function originAllowList(c, next) {
      const origin = c.req.header('origin');
      if (origin !== undefined && !allowed.has(origin)) {
        deps.metrics.eventsRejected.inc({ reason: 'origin_not_allowed' });
        return c.json({ error: 'origin_not_allowed', message: `origin ${origin} is not in CORS_ORIGINS` }, 403);
      }
      return next();
    },
  );

  app.post(
    '/v1/events',
    beaconBodyLimit({ maxSize: BEACON_LIMITS.maxBodyBytes, onError: (c) => bodyTooLarge(c, deps.metrics) }),
    // The site's own hosts are never reported as referrers (a visitor moving between pages).
    createIngestHandler({ ...deps, ownHosts: deps.ownHosts ?? new Set(deps.corsOrigins.map((o) => new URL(o).hostname)) }),
  );
  app.all('/v1/events', (c) => c.json({ error: 'method_not_allowed', message: 'use POST' }, 405, { Allow: 'POST, OPTIONS' }));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    if (deps.draining?.()) return c.json({ status: 'draining' }, 503);
    const ready = deps.sink.ready();
    return c.json({ status: ready.ok ? 'ready' : 'unavailable', sink: deps.sink.kind, detail: ready.detail }, ready.ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'Content-Type': deps.metrics.registry.contentType }));

  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: 'http_error', message: error.message }, error.status);
    deps.log.error({ err: error }, 'unhandled error');
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  return app;
}
