/**
 * A full build's pages, rendered through the build's server bundle (the one the popularity-only
 * and data-change rebuilds render with), not through a prerender bundle of their own.
 *
 * Astro builds two bundles of the same pages: a prerender bundle that its generate step renders the
 * static pages with, and the server bundle with the on-demand twins of those pages
 * (pages/hangar-render/, lib/render-route.ts) that the rebuilds call through `server/entry.mjs`.
 * Every public route has a twin that renders the same page component with the same props, so a
 * full build renders each page through its twin (`render`), from an App over the server bundle's
 * manifest (render-app.ts, emitted as `server/hangar-app.mjs`), and the prerender environment is not
 * built at all (`oneBundleConfig`) instead of bundling every page, Astro's runtime and the catalogue
 * code a second time. A rebuilt page is then the same code path as a full build's.
 *
 * The paths of the dynamic routes are the catalogue routes' keys (lib/page-paths.ts's `routeKeys`,
 * through the route keys' twin): the same functions the static pages' getStaticPaths call (those
 * still serve `astro dev`).
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration, AstroPrerenderer, RouteData } from 'astro';
import { RENDER_APP_FILE, RENDER_PREFIX } from './render-route.ts';
import { ROUTE_KEYS_ROUTE } from './route-kinds.ts';
import { byPath, isIndexedPath } from './search-indexer.ts';

type BuildSetup = Parameters<NonNullable<AstroIntegration['hooks']['astro:build:setup']>>[0];
type ViteConfig = Parameters<BuildSetup['updateConfig']>[0];

/** What the bundle's App offers here (render-app.ts). */
interface RenderApp {
  manifest: { routes: readonly { routeData: RouteData }[] };
  render(request: Request): Promise<Response>;
}

type BuildApp = NonNullable<NonNullable<ViteConfig['builder']>['buildApp']>;
type Builder = Parameters<BuildApp>[0];
type BuildOutput = Awaited<ReturnType<Builder['build']>>;

/**
 * What the prerender environment's build hands Astro instead of building: the one chunk Astro looks
 * for in it (its entry, by the `prerender-entry` prefix), empty. Only Astro's own prerenderer imports
 * that entry, and this file's replaces it; nothing of the prerender bundle reaches the output.
 */
export const NO_PRERENDER_OUTPUT = { output: [{ type: 'chunk', fileName: 'prerender-entry.none.mjs', code: '', moduleIds: [] }] };

/**
 * For `astro:build:setup`'s updateConfig, given Astro's own `builder.buildApp` (the hook's `vite`
 * config): Astro's build runs as before, except that the prerender environment is not built (an
 * empty bundle of it still cost Vite's and rolldown's set-up, plugins and output: 0.2-0.4 s of
 * the main thread at 1k, site/BUILD-PERFORMANCE.md "Thirteenth round"), and the server bundle also gets
 * render-app.ts as `hangar-app.mjs` (an entry chunk of its own: the node adapter's `entry.mjs`
 * starts a server and exports only its handler).
 */
export function oneBundleConfig(astroBuildApp: BuildApp | undefined): ViteConfig {
  if (!astroBuildApp) throw new Error("Astro's build config has no builder.buildApp to wrap (an Astro upgrade?): lib/twin-prerenderer.ts skips the prerender bundle through it");
  const appModule = fileURLToPath(new URL('./render-app.ts', import.meta.url));
  return {
    builder: {
      async buildApp(builder) {
        const build = builder.build.bind(builder);
        builder.build = (environment) => (environment === builder.environments.prerender ? Promise.resolve(NO_PRERENDER_OUTPUT as unknown as BuildOutput) : build(environment));
        await astroBuildApp(builder);
      },
    },
    plugins: [
      {
        name: 'hangarstack:render-app',
        applyToEnvironment: (environment) => environment.name === 'ssr',
        buildStart() {
          this.emitFile({ type: 'chunk', id: appModule, fileName: RENDER_APP_FILE });
        },
      },
    ],
  };
}

/** The twin's request for a public route's request: the same URL under RENDER_PREFIX. */
function twinRequest(url: string): Request {
  const twin = new URL(url);
  twin.pathname = `${RENDER_PREFIX}${twin.pathname}`;
  return new Request(twin);
}

/**
 * The prerenderer: `serverDir()` is the build's server dir (known once Astro's config is done).
 * A twin that does not answer 200 fails the build naming the route: a static page is always 200.
 */
export function twinPrerenderer(serverDir: () => string): AstroPrerenderer {
  let loaded: RenderApp | undefined;
  const app = (): RenderApp => {
    if (!loaded) throw new Error('twin prerenderer: render before setup');
    return loaded;
  };
  const render = async (url: string): Promise<Response> => {
    const response = await app().render(twinRequest(url));
    if (response.status !== 200) throw new Error(`${new URL(url).pathname} did not render through its twin under ${RENDER_PREFIX} (pages/hangar-render/): ${response.status} ${(await response.text()).slice(0, 300)}`);
    return response;
  };
  return {
    name: 'hangarstack:twins',
    async setup() {
      loaded = ((await import(/* @vite-ignore */ pathToFileURL(join(serverDir(), RENDER_APP_FILE)).href)) as { app: RenderApp }).app;
    },
    async getStaticPaths() {
      const routes = app().manifest.routes.map((r) => r.routeData);
      const twins = new Set(routes.filter((r) => !r.prerender).map((r) => r.route));
      const keyed = Object.keys((await (await render(`http://localhost${ROUTE_KEYS_ROUTE}`)).json()) as Record<string, string>);
      const paths: { pathname: string; route: RouteData }[] = [];
      for (const route of routes) {
        if (!route.prerender) continue;
        if (!twins.has(`${RENDER_PREFIX}${route.route === '/' ? '' : route.route}`)) throw new Error(`${route.component} has no on-demand twin under src/pages${RENDER_PREFIX}/ (lib/twin-prerenderer.ts renders every page through one)`);
        if (route.pathname !== undefined) paths.push({ pathname: route.pathname, route });
        else {
          // In the order of their getStaticPaths (the keys'), which the sitemap keeps; the indexed
          // pages (aircraft, type entries) in path order, as the aircraft pages' getStaticPaths sorts them.
          const own = keyed.filter((p) => route.pattern.test(p));
          for (const pathname of own.every(isIndexedPath) ? own.sort(byPath) : own) paths.push({ pathname, route });
        }
      }
      return paths;
    },
    render: (request) => render(request.url),
  };
}
