/**
 * Serves the live build (site/.live/current) as static files, as a stand-in for the CDN: hashed
 * assets are immutable, HTML and /popularity.json revalidate. It follows the `current` symlink on
 * every request, so a swap by build-and-swap.ts goes live on the next request without a restart.
 *
 * Static files only, like the CDN: it never imports a build's server bundle. (It used to load
 * each swapped build's @astrojs/node handler and keep it, plus a process listener per load, so
 * memory grew with every rebuild.) Files are sent with `send`, the static engine @astrojs/node
 * itself uses: ranges, ETags, directory redirects.
 *
 * Config (site/src/lib/config.ts): SITE_PORT, POPULARITY_FILE (served fresh at /popularity.json
 * when present), HANGAR_LIVE_DIR.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import send from 'send';
import { currentBuild, liveLayout } from './live-dir.ts';
import { siteConfig } from '../src/lib/config.ts';

const REVALIDATE = 'public, max-age=0, must-revalidate';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Sends `path` from `root`, or the build's 404 page with status 404 when there is no such file. */
function sendFile(req: IncomingMessage, res: ServerResponse, root: string, path: string, status?: number): void {
  const stream = send(req, path, { root, index: ['index.html'], dotfiles: 'ignore', cacheControl: false });
  stream.on('headers', (response: ServerResponse, file: string) => {
    if (status) response.statusCode = status;
    response.setHeader('Cache-Control', file.startsWith(join(root, '_astro')) ? IMMUTABLE : REVALIDATE);
    response.setHeader('X-Content-Type-Options', 'nosniff');
  });
  stream.on('error', (error: { status?: number }) => {
    if (error.status === 404 && status === undefined) return sendFile(req, res, root, '/404.html', 404);
    res.writeHead(error.status ?? 500, { 'Content-Type': 'text/plain' }).end(error.status === 404 ? 'Not found\n' : 'Error\n');
  });
  stream.pipe(res);
}

/** The site server over the live layout whose `current` symlink is `current`. */
export function createSiteServer(options: { current: string; popularityFile: string }): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/popularity.json') {
      void readFile(options.popularityFile).then(
        (body) => res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': REVALIDATE, 'Access-Control-Allow-Origin': '*' }).end(body),
        () => serveBuild(req, res, path),
      );
      return;
    }
    serveBuild(req, res, path);
  });

  function serveBuild(req: IncomingMessage, res: ServerResponse, path: string): void {
    const build = currentBuild(options.current);
    if (!build) {
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '10' }).end('No site built yet: run node site/scripts/build-and-swap.ts\n');
      return;
    }
    sendFile(req, res, join(build, 'client'), path);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = siteConfig();
  const layout = liveLayout(config.liveDir);
  const server = createSiteServer({ current: layout.current, popularityFile: config.popularityFile });
  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    console.log(`site: serving ${layout.current} on http://localhost:${port}/`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
}
