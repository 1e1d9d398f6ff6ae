/**
 * The on-demand twins of the pages that show popularity live under this prefix
 * (pages/hangar-render/): a popularity-only rebuild renders them through the live build's own
 * server bundle (site/scripts/render-routes.ts). They are never deployed: the CDN gets static
 * files only, and scripts/serve.ts serves static files only.
 */
export const RENDER_PREFIX = '/hangar-render';

/**
 * The server bundle's Astro App without the node adapter's HTTP handler (lib/render-app.ts, emitted
 * by lib/twin-prerenderer.ts): a full build renders every page through it, a rebuild its routes.
 */
export const RENDER_APP_FILE = 'hangar-app.mjs';

/** The page's public path: the same for a prerendered page and its on-demand twin. */
export function sitePath(url: URL): string {
  const path = url.pathname;
  return path === RENDER_PREFIX || path.startsWith(`${RENDER_PREFIX}/`) ? path.slice(RENDER_PREFIX.length) || '/' : path;
}

/** The file a route's output lives in under client/ (directory format: `/x/` → `x/index.html`). */
export const routeFile = (route: string): string => (route.endsWith('/') ? `${route}index.html` : route).slice(1);
