/**
 * Which routes of a build come from the catalogue and how (no Astro imports: build-and-swap and
 * the data-change rebuild read these in plain Node). The keyed routes are lib/page-paths.ts's.
 */

/** The route the build writes every catalogue route's key to (moved into the build record, never deployed). */
export const ROUTE_KEYS_ROUTE = '/hangar-route-keys.json';

/**
 * The route a full build renders every aircraft's `/aircraft/<slug>.json` sheet through, in one
 * response that its prerenderer splits into those files (lib/sheet-batch.ts says why); no file of
 * its own is written.
 */
export const AIRCRAFT_SHEETS_ROUTE = '/hangar-aircraft-sheets.txt';

/**
 * Pages that read the whole catalogue (counts, facets, every designator) and have no narrower
 * key: a data-change rebuild re-renders them on any change. With /popularity.json, which every
 * rebuild rewrites.
 */
export const WHOLE_CATALOGUE_ROUTES = ['/', '/popular/', '/search/', '/designators.json'] as const;

/** Pages that read nothing of the catalogue (a data change never touches them). */
export const CATALOGUE_FREE_ROUTES = ['/404.html', '/compare/', '/robots.txt'] as const;

/** Output files no route renders from the catalogue (build assets, search index, sitemap, the snapshot). */
const NOT_PAGES = /^(_astro\/|pagefind\/|sitemap-|favicon|popularity\.json$)/;

/**
 * The pages in a client dir (its files as routes) that neither `keys` nor the lists above
 * account for. Empty after every full build, or a page kind was added without a key or twin: the
 * build then records no keys, and data changes rebuild in full until it is added here.
 */
export function unaccountedRoutes(clientFiles: readonly string[], keys: Record<string, string>): string[] {
  const known = new Set<string>([...Object.keys(keys), ...WHOLE_CATALOGUE_ROUTES, ...CATALOGUE_FREE_ROUTES]);
  return clientFiles
    .filter((rel) => !NOT_PAGES.test(rel))
    .map((rel) => `/${rel.endsWith('index.html') ? rel.slice(0, -'index.html'.length) : rel}`)
    .filter((route) => !known.has(route));
}
