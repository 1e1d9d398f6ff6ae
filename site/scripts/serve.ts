/**
 * Serves the live build (site/.live/current) with @astrojs/node's standalone request handler, as a
 * stand-in for the CDN: hashed assets are immutable, HTML and /popularity.json revalidate.
 * It follows the `current` symlink on every request, so a swap by build-and-swap.ts goes
 * live on the next request without a restart.
 *
 * Config (site/src/lib/config.ts): SITE_PORT, POPULARITY_FILE (served fresh at /popularity.json
 * when present), HANGAR_LIVE_DIR.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { currentBuild, liveLayout } from './live-dir.ts';
import { loadSiteConfig } from '../src/lib/config.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void> | void;

const config = loadSiteConfig();
const layout = liveLayout(config.liveDir);
// We import each build's standalone handler (static files + app) into our own server, which
// follows the symlink; the build's own server must not start on import.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const handlers = new Map<string, Promise<Handler>>();

/** The handler of the build `current` points at now; each build's module is loaded once. */
function liveHandler(): Promise<Handler> | undefined {
  const build = currentBuild(layout.current);
  if (!build) return undefined;
  let handler = handlers.get(build);
  if (!handler) {
    handler = import(pathToFileURL(join(build, 'server', 'entry.mjs')).href).then((m: { handler: Handler }) => m.handler);
    handlers.set(build, handler);
  }
  return handler;
}

const server = createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/popularity.json') {
    const body = await readFile(config.popularityFile).catch(() => undefined);
    if (body) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=0, must-revalidate', 'Access-Control-Allow-Origin': '*' });
      res.end(body);
      return;
    }
  }
  const handler = liveHandler();
  if (!handler) {
    res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '10' });
    res.end('No site built yet: run node site/scripts/build-and-swap.ts\n');
    return;
  }
  // Pages and unhashed files revalidate; the static handler replaces this for /_astro/ (immutable).
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  await (await handler)(req, res, () => {
    res.writeHead(404).end();
  });
});

server.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`site: serving ${layout.current} on http://localhost:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
