/**
 * Renders routes through a build's own server bundle into that build's client directory, then
 * exits: `node site/scripts/render-routes.ts <buildDir> <route>...` with POPULARITY_FILE naming
 * the snapshot to render. Each route is fetched from its on-demand twin under RENDER_PREFIX
 * (site/src/pages/hangar-render/), served by the build's @astrojs/node handler on a loopback port.
 * A fresh process per rebuild: the bundle's module state (the popularity it read, the catalogue)
 * is never reused, and no long-running process accumulates bundles.
 *
 * Files are written as new files renamed over the old path, never in place: the build directory
 * is a hard-linked copy of the live build, so writing into an existing file would change the
 * live site. Exit 0 when every route rendered with 200; 1 otherwise (the caller keeps the live site).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDER_PREFIX, routeFile } from '../src/lib/render-route.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void> | void;

const [buildDir, ...routes] = process.argv.slice(2);
if (!buildDir || routes.length === 0) {
  console.error('usage: node site/scripts/render-routes.ts <buildDir> <route>...  (POPULARITY_FILE: the snapshot to render)');
  process.exit(2);
}
// The bundle's own server must not start on import; we serve its handler on a port of our own.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(pathToFileURL(join(buildDir, 'server', 'entry.mjs')).href)) as { handler: Handler };
const server = createServer((req, res) => void handler(req, res, () => res.writeHead(404).end()));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

let failed = 0;
for (const route of routes) {
  const response = await fetch(`${origin}${RENDER_PREFIX}${route}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    console.error(`✗ ${route}: ${response.status} ${body.toString('utf8').slice(0, 300)}`);
    failed++;
    continue;
  }
  const file = join(buildDir, 'client', routeFile(route));
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, body);
  renameSync(temp, file);
}
server.close();
if (failed > 0) {
  console.error(`✗ ${failed} of ${routes.length} routes failed to render`);
  process.exit(1);
}
console.log(`rendered ${routes.length} routes`);
