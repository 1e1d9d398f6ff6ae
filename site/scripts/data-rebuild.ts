/**
 * The data-change rebuild: when the data changed but the code is the live build's, only the
 * routes whose pages show changed records are rendered, not the whole site. It
 *   1. loads the live build's server bundle reading the catalogue from the data dir as it is now
 *      (render-routes.ts) and asks it for every catalogue route's key
 *      (lib/page-paths.ts: the pages' own cacheKeys, so the dependencies come from the data: an
 *      aircraft's page, its manufacturer, role, country, era and type lists, the pages that list it
 *      as related), and diffs them with the keys in the live build's record;
 *   2. renders the routes whose key changed or that are new, the pages that read the whole
 *      catalogue (home, popular, search facets, designators), the routes whose shown popularity
 *      changed and /popularity.json, into a hard-linked copy of the live build, and deletes the
 *      files of routes that are gone;
 *   3. rewrites the sitemap when routes came or went (sitemap-update.ts) and, when an aircraft or
 *      type page came, went or shows search something new, re-indexes search with Pagefind into a
 *      fresh pagefind/ (its files in the copy are links to the live build's, never written);
 *   4. writes the record and the deploy manifest (re-hashing only what changed).
 * It returns undefined, before touching anything, when it cannot do this exactly (a route kind
 * without an on-demand twin, a sitemap it does not understand): the caller builds in full.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedRoutes, shownSignatures } from '@hangarstack/shared';
import { ROUTE_KEYS_ROUTE, WHOLE_CATALOGUE_ROUTES } from '../src/lib/route-kinds.ts';
import { readPopularity } from '../src/lib/popularity.ts';
import { indexedPages, indexWithPagefind } from '../src/lib/pagefind-cli.ts';
import { indexedPart, isSearchedPage } from '../src/lib/search-extract.ts';
import { isIndexedPath } from '../src/lib/search-indexer.ts';
import { routeFile } from '../src/lib/render-route.ts';
import { RECORD_FILE, writeRecord, type BuildRecord } from './build-record.ts';
import { MANIFEST_FILE, manifestOf, readManifest, writeManifest, type DeployManifest } from './deploy-manifest.ts';
import { hardLinkTree } from './hard-link-tree.ts';
import { loadBundle, writeRendered } from './render-routes.ts';
import { updatedSitemap } from './sitemap-update.ts';
import { lapTimer } from './lap-timer.ts';

/** Route kinds the bundle has on-demand twins for (pages/hangar-render/). */
const TWINS = [/^\/aircraft\/[^/]+\/$/, /^\/aircraft\/[^/]+\.json$/, /^\/(country|era|role|manufacturer|type)\/[^/]+\/$/];
const hasTwin = (route: string): boolean => TWINS.some((t) => t.test(route)) || (WHOLE_CATALOGUE_ROUTES as readonly string[]).includes(route);

const SITEMAP = 'sitemap-0.xml';

export interface DataRebuildResult {
  rendered: string[];
  removed: string[];
  reindexed: boolean;
  phases: string;
}

const hash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('base64url');

/** Files under `dir`, relative to `base` with `/` separators. */
const filesUnder = (dir: string, base: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((rel) => join(dir, rel)).filter((p) => statSync(p).isFile()).map((p) => p.slice(base.length + 1).split('\\').join('/')) : [];

/** The routes of the sitemap, as paths. */
const sitemapRoutes = (xml: string, siteUrl: string): string[] => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => (m[1] ?? '').slice(siteUrl.replace(/\/$/, '').length));

export async function dataRebuild(options: {
  liveDir: string;
  live: BuildRecord;
  outDir: string;
  popularityFile: string;
  inputs: { dataDigest: string; codeDigest: string };
  slugs: string[];
  siteUrl: string;
}): Promise<DataRebuildResult | undefined> {
  const { liveDir, live, outDir, popularityFile, inputs, slugs, siteUrl } = options;
  const liveKeys = live.routeKeys;
  if (!liveKeys) return undefined;
  const lap = lapTimer();
  const bundle = await loadBundle(liveDir, popularityFile);
  const keysPage = (await bundle.render([ROUTE_KEYS_ROUTE])).get(ROUTE_KEYS_ROUTE);
  const keys = JSON.parse(keysPage?.toString('utf8') ?? '{}') as Record<string, string>;
  const known = new Set(slugs);
  const signatures = shownSignatures(readPopularity(popularityFile).popularity, (slug) => known.has(slug));
  const removed = Object.keys(liveKeys).filter((route) => !(route in keys));
  const changedKeys = Object.keys(keys).filter((route) => liveKeys[route] !== keys[route]);
  const rendered = [...new Set([...changedKeys, ...WHOLE_CATALOGUE_ROUTES, ...changedRoutes(live.signatures, signatures).filter((r) => r in keys || hasTwin(r))])].filter((r) => !removed.includes(r));
  if (!rendered.every(hasTwin)) return undefined;
  const routesChanged = removed.length > 0 || changedKeys.some((route) => !(route in liveKeys));
  const liveClient = join(liveDir, 'client');
  let sitemap: string | undefined;
  if (routesChanged) {
    if (existsSync(join(liveClient, 'sitemap-1.xml'))) return undefined;
    const xml = readFileSync(join(liveClient, SITEMAP), 'utf8');
    const others = sitemapRoutes(xml, siteUrl).filter((route) => !(route in liveKeys));
    sitemap = updatedSitemap(xml, siteUrl, [...others, ...Object.keys(keys).filter((route) => route.endsWith('/'))]);
    if (sitemap === undefined) return undefined;
  }
  const diff = lap();
  const [linked, pages] = await Promise.all([hardLinkTree(liveDir, outDir, [RECORD_FILE, MANIFEST_FILE]), bundle.render([...rendered, '/popularity.json'])]);
  const render = lap();
  const client = join(outDir, 'client');
  writeRendered(outDir, pages);
  for (const route of removed) {
    rmSync(join(client, routeFile(route)), { force: true });
  }
  if (sitemap !== undefined) {
    writeFileSync(join(client, `${SITEMAP}.tmp`), sitemap);
    renameSync(join(client, `${SITEMAP}.tmp`), join(client, SITEMAP));
  }
  const write = lap();
  const search = searchAfter(liveDir, liveKeys, pages, removed);
  const reindexed = search.reindex;
  if (reindexed) await reindex(client, search.searched);
  const indexing = lap();
  writeRecord(outDir, { ...live, ...inputs, slugs, signatures, routeKeys: keys });
  const changedFiles = [...rendered, '/popularity.json'].map(routeFile);
  if (sitemap !== undefined) changedFiles.push(SITEMAP);
  writeManifest(outDir, manifestAfter(join(liveDir, MANIFEST_FILE), outDir, changedFiles, removed.map(routeFile), reindexed));
  return { rendered, removed, reindexed, phases: `keys + diff ${diff} s, link ${linked} files + render ${render} s, write ${write} s, pagefind ${indexing} s, manifest ${lap()} s` };
}

/**
 * What search needs after the re-render, each live page read once. `reindex`: a searched page came
 * or went, or one re-rendered shows Pagefind something else than the live page did. Pagefind
 * reads only `indexedPart` of a page (lib/search-extract.ts; the same index from the part as from
 * the page) and makes the same bytes from the same pages; so when every re-rendered searched
 * page's part equals the live page's, the live index is kept: an edit only to what search ignores
 * (an aircraft's sources, imperial figures, planform) costs no re-index, at 10k aircraft most of
 * a data-change rebuild. `searched`: how many pages the new index must hold, the live index's
 * count plus the re-rendered pages that carry `data-pagefind-body` now and did not, minus those
 * that lost it or are gone.
 */
function searchAfter(liveDir: string, liveKeys: Readonly<Record<string, string>>, pages: ReadonlyMap<string, Buffer>, removed: readonly string[]): { reindex: boolean; searched: number } {
  const livePage = (route: string): string | undefined => {
    const file = join(liveDir, 'client', routeFile(route));
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const wasSearched = (old: string | undefined): number => Number(old !== undefined && isSearchedPage(old));
  let reindex = false;
  let change = 0;
  for (const route of removed.filter(isIndexedPath)) {
    reindex = true;
    change -= wasSearched(livePage(route));
  }
  for (const [route, page] of pages) {
    if (!isIndexedPath(route)) continue;
    const html = page.toString('utf8');
    const old = livePage(route);
    if (old === undefined || !(route in liveKeys) || indexedPart(html) !== indexedPart(old)) reindex = true;
    change += Number(isSearchedPage(html)) - wasSearched(old);
  }
  return { reindex, searched: reindex ? indexedPages(join(liveDir, 'client', 'pagefind')) + change : 0 };
}

/**
 * Pagefind over the copy's aircraft and type pages (`searched`: how many carry its body mark), into a fresh pagefind/: the old one is
 * unlinked first (its files are the live build's inodes). Pagefind has no incremental update:
 * it indexes every page (measured in the bench: build.data_change_rebuild_ratio_<n>), the same
 * way a full build does (lib/pagefind-cli.ts), so the index is the same bytes as a full build's.
 */
async function reindex(client: string, searched: number): Promise<void> {
  const output = join(client, 'pagefind');
  rmSync(output, { recursive: true, force: true });
  await indexWithPagefind(client, output, searched);
}

/** The live manifest with `changed` re-hashed, `removed` dropped and, after a re-index, pagefind/ replaced. */
function manifestAfter(liveManifest: string, outDir: string, changed: readonly string[], removed: readonly string[], reindexed: boolean): DeployManifest {
  if (!existsSync(liveManifest)) return manifestOf(outDir);
  const client = join(outDir, 'client');
  const gone = new Set(removed);
  const files = Object.fromEntries(Object.entries(readManifest(liveManifest).files).filter(([rel]) => !gone.has(rel) && !(reindexed && rel.startsWith('pagefind/'))));
  if (reindexed) for (const rel of filesUnder(join(client, 'pagefind'), client)) files[rel] = hash(join(client, rel));
  for (const rel of changed) files[rel] = hash(join(client, rel));
  return { schema: 1, files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) };
}
