import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Does the request carry a body (by its headers: reading `c.req.raw.body` would cost a full `Request`)? */
export function declaresBody(c: Context): boolean {
  return c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
}

/**
 * A body size limit that leaves @hono/node-server's fast path alone. Hono's `bodyLimit` reads
 * `c.req.raw.body`, and on the node adapter that getter turns the lightweight request into a full
 * `Request` with a web `ReadableStream` on every beacon. Here a declared Content-Length is checked
 * before anything is read (Node's parser never reads past it); only a chunked body, which has no
 * length to check (sendBeacon and fetch always send one), goes through Hono's streaming
 * `bodyLimit`, which stops reading at the limit. The handler checks the size again after reading,
 * for requests built in-process.
 *
 * @example
 * app.post('/v1/events', beaconBodyLimit({ maxSize: 16_384, onError: (c) => c.json({ error: 'body_too_large' }, 413) }), handler);
 */
export function beaconBodyLimit(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async function beaconBodyLimit(c, next) {
    if (c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(c.req.header('content-length') ?? 0) > options.maxSize) return options.onError(c);
    return next();
  };
}
