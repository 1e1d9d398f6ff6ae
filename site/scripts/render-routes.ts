/**
 * Renders routes through a build's own server bundle. Each route is fetched from its on-demand
 * twin under RENDER_PREFIX (site/src/pages/hangar-render/), served by the build's @astrojs/node
 * handler on a loopback port; writeRendered() then puts the pages into a build directory.
 *
 * Load it once per process: the bundle reads the catalogue once and keeps it in module state,
 * which is what we want within one rebuild and wrong across rebuilds. build-and-swap.ts is a
 * fresh process per rebuild, so no process accumulates bundles (the render worker holds one
 * bundle per data and code digest).
 *
 * Files are written as new files renamed over the old path, never in place: the build directory
 * is a hard-linked copy of the live build, so writing into an existing file would change the
 * live site. Rendering uses the live build's bundle (the copy's files are the same inodes), so
 * it runs while the copy is being linked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDER_PREFIX, routeFile } from '../src/lib/render-route.ts';
import { namePathsForPages } from '../src/lib/config.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void> | void;

let used = false;

/** A build's server bundle loaded in this process, answering on a loopback port. */
export interface LoadedBundle {
  /** Renders `routes` (through their twins); throws listing the routes that did not answer 200. */
  render(routes: readonly string[]): Promise<Map<string, Buffer>>;
  close(): Promise<void>;
}

/**
 * Loads `buildDir`'s bundle with the snapshot in `popularityFile`; it reads the catalogue from the
 * data dir as it is now (src/lib/catalogue-files.ts), as the full build did.
 */
export async function loadBundle(buildDir: string, popularityFile: string): Promise<LoadedBundle> {
  if (used) throw new Error('loadBundle runs once per process (the server bundle caches the catalogue it read)');
  used = true;
  namePathsForPages(popularityFile);
  // The bundle's own server must not start on import; we serve its handler on a port of our own.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(join(buildDir, 'server', 'entry.mjs')).href)) as { handler: Handler };
  const server = createServer((req, res) => void handler(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    async render(routes) {
      const failures: string[] = [];
      const pages = new Map<string, Buffer>();
      for (const route of routes) {
        const response = await fetch(`${origin}${RENDER_PREFIX}${route}`);
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status !== 200) {
          failures.push(`${route}: ${response.status} ${body.toString('utf8').slice(0, 300)}`);
          continue;
        }
        pages.set(route, body);
      }
      if (failures.length > 0) throw new Error(`${failures.length} of ${routes.length} routes did not render through the live build's server bundle:\n${failures.join('\n')}`);
      return pages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Renders `routes` with `buildDir`'s bundle and the snapshot in `popularityFile` (loadBundle, render, close). */
export async function renderRoutes(buildDir: string, routes: readonly string[], popularityFile: string): Promise<Map<string, Buffer>> {
  const bundle = await loadBundle(buildDir, popularityFile);
  try {
    return await bundle.render(routes);
  } finally {
    await bundle.close();
  }
}

/** Writes rendered pages into `buildDir`'s client/, each as a new file renamed over the old path. */
export function writeRendered(buildDir: string, pages: Map<string, Buffer>): void {
  for (const [route, body] of pages) {
    const file = join(buildDir, 'client', routeFile(route));
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, body);
    renameSync(temp, file);
  }
}
