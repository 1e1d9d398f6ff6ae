/**
 * Renders routes through a build's own server bundle: each route through its on-demand twin under
 * RENDER_PREFIX (site/src/pages/hangar-render/), by the bundle's Astro App (`server/hangar-app.mjs`,
 * src/lib/render-app.ts), the same App and twins a full build renders every page with
 * (src/lib/twin-prerenderer.ts); writeRendered() then puts the pages into a build directory.
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
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDER_APP_FILE, RENDER_PREFIX, routeFile } from '../src/lib/render-route.ts';
import { namePathsForPages } from '../src/lib/config.ts';

/** What the bundle's App offers here (src/lib/render-app.ts). */
interface RenderApp {
  render(request: Request): Promise<Response>;
}

let used = false;

/** A build's server bundle loaded in this process. */
export interface LoadedBundle {
  /** Renders `routes` (through their twins); throws listing the routes that did not answer 200. */
  render(routes: readonly string[]): Promise<Map<string, Buffer>>;
}

/**
 * Loads `buildDir`'s bundle with the snapshot in `popularityFile`; it reads the catalogue from the
 * data dir as it is now (src/lib/catalogue-files.ts), as the full build did.
 *
 * Through the App itself, not the node adapter's `entry.mjs` handler on a loopback port: no socket
 * and HTTP parse per route, and no static-file lookup in `client/` before each render (the adapter
 * tries the file first; ~12 % of a warm render's CPU in the render worker's profile).
 */
export async function loadBundle(buildDir: string, popularityFile: string): Promise<LoadedBundle> {
  if (used) throw new Error('loadBundle runs once per process (the server bundle caches the catalogue it read)');
  used = true;
  namePathsForPages(popularityFile);
  const { app } = (await import(pathToFileURL(join(buildDir, 'server', RENDER_APP_FILE)).href)) as { app: RenderApp };
  return {
    async render(routes) {
      const failures: string[] = [];
      const pages = new Map<string, Buffer>();
      for (const route of routes) {
        const response = await app.render(new Request(`http://localhost${RENDER_PREFIX}${route}`));
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
  };
}

/** Renders `routes` with `buildDir`'s bundle and the snapshot in `popularityFile` (loadBundle, then render). */
export async function renderRoutes(buildDir: string, routes: readonly string[], popularityFile: string): Promise<Map<string, Buffer>> {
  return (await loadBundle(buildDir, popularityFile)).render(routes);
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
