import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { pageFile, type PageHashes } from './page-hashes.ts';
import { pageWriterOffThread, type OffThreadWriter } from './page-writer.ts';
import { pagefindOffThread, startingPagefind, type OffThreadPagefind } from './pagefind-off-thread.ts';
import { AIRCRAFT_SHEETS_ROUTE } from './route-kinds.ts';
import { isIndexedPath, SearchIndexer } from './search-indexer.ts';
import { readSheetBatch } from './sheet-batch.ts';
import { oneBundleConfig, twinPrerenderer } from './twin-prerenderer.ts';

/** What a prerenderer's render resolves to (a Response, or one with the incremental build's metadata). */
type Rendered = Awaited<ReturnType<AstroPrerenderer['render']>>;

/**
 * Indexes the aircraft pages and type entries with Pagefind. Only elements marked
 * `data-pagefind-body` are indexed, so lists and the home page stay out of the results.
 * Pagefind splits the index into small fragments, so a query at 10k pages loads a few
 * kilobytes, not the whole catalogue.
 *
 * Pages are handed to Pagefind as Astro renders them (SearchIndexer, through a prerenderer that
 * wraps Astro's own), so Pagefind parses them in its own process while the build goes on; it
 * used to read every page back after the build, about a quarter of a 10k build's wall time.
 * Pagefind's client runs in a worker thread (pagefind-off-thread.ts): handing it a page costs the
 * render thread a copy of the string, not Pagefind's base64 encoding and pipe write.
 *
 * The indexed pages generate first and Pagefind writes its index (~4 s of its one busy thread at
 * 10k) as soon as the last of them is in, while Astro generates the rest (the aircraft JSON
 * sheets, the lists): it used to start only after every page, and the build waited for it.
 *
 * The same prerenderer writes the per-aircraft pages' files from a worker thread (page-writer.ts)
 * and hands Astro a response without a body, which Astro's generate writes no file for; the
 * thread has written them all before `astro:build:generated` goes on to the other integrations.
 * The aircraft JSON sheets come in one response (AIRCRAFT_SHEETS_ROUTE, sheet-batch.ts), which it
 * splits into their files the same way.
 */
/** Pagefind's index, under the client dir. */
export const PAGEFIND_DIR = 'pagefind';

/**
 * The routes whose files the prerenderer writes itself (page-writer.ts says why): the catalogue's
 * per-aircraft and per-type pages, and (from AIRCRAFT_SHEETS_ROUTE) the aircraft JSON sheets: ~20k
 * of a 10k build's ~20.3k files. Their files are where page-hashes.ts's `pageFile` puts them
 * (plain-ASCII slugs, so Astro's encodeURI changes nothing); every other route is left to Astro.
 */
const writtenHere = (pathname: string): boolean => isIndexedPath(pathname);

/**
 * `pages`: where the prerenderer records each page's hash as it hands the bytes to Astro (the deploy
 * manifest's, page-hashes.ts). The integration's `written()` resolves once the index is written
 * (the deploy manifest hashes its files then), and rejects if it never will be.
 */
export function pagefindIndex({ pages }: { pages?: PageHashes } = {}): AstroIntegration & { written: () => Promise<number> } {
  let search: { pagefind: OffThreadPagefind; feed: SearchIndexer } | undefined;
  let writer: OffThreadWriter | undefined;
  let writing: { path: string; pages: Promise<number> } | undefined;
  /** Where Astro writes the pages (known once the config is done), so the index can be written before generate ends. */
  let clientDir: string | undefined;
  /** The server bundle's dir, whose App renders every page (twin-prerenderer.ts). */
  let serverDir: string | undefined;
  const startWriting = (path: string): void => {
    if (!search) throw new Error('Pagefind index missing: astro:build:start did not run');
    const { pagefind, feed } = search;
    const pages = (async () => {
      const count = await feed.finish(path);
      await pagefind.write(join(path, PAGEFIND_DIR));
      return count;
    })();
    // Awaited in build:done; until then a failure must not count as unhandled.
    pages.catch(() => undefined);
    writing = { path, pages };
  };
  /** The sheets' batch written out as `/aircraft/<slug>.json` files (sheet-batch.ts); Astro gets a response without a body, so no file of its own. */
  const writeSheets = async (rendered: Rendered): Promise<Rendered> => {
    const { response, metadata } = rendered instanceof Response ? { response: rendered, metadata: undefined } : rendered;
    if (!writer || clientDir === undefined) throw new Error(`${AIRCRAFT_SHEETS_ROUTE}: the aircraft sheets are written out by the hangarstack:pagefind prerenderer, which needs a server build's client dir (an adapter)`);
    if (response.status !== 200 || response.body === null) throw new Error(`${AIRCRAFT_SHEETS_ROUTE} answered ${response.status} without the aircraft sheets: ${await response.text()}`);
    for await (const { slug, bytes } of readSheetBatch(response.body)) {
      await writer.write(join(clientDir, pageFile(`/aircraft/${slug}.json`)), bytes);
    }
    const none = new Response(null, { status: 200, headers: response.headers });
    return metadata === undefined ? none : { response: none, metadata };
  };
  return {
    written: () => writing?.pages ?? Promise.reject(new Error('Pagefind has not started writing its index')),
    name: 'hangarstack:pagefind',
    hooks: {
      'astro:config:done': ({ config, buildOutput }) => {
        // Astro writes a server build's pages into build.client (getClientOutputDirectory);
        // build:generated checks this against the dir it names.
        clientDir = buildOutput === 'server' ? fileURLToPath(config.build.client) : undefined;
        serverDir = buildOutput === 'server' ? fileURLToPath(config.build.server) : undefined;
      },
      'astro:build:setup': ({ vite, updateConfig }) => {
        // The pages render through the server bundle (twin-prerenderer.ts): no prerender bundle.
        updateConfig(oneBundleConfig(vite.builder?.buildApp));
      },
      'astro:build:start': ({ setPrerenderer }) => {
        // One instance serves every build of a process (astro.config.ts is imported once).
        writing = undefined;
        writer = clientDir === undefined ? undefined : pageWriterOffThread();
        // Not awaited here: the thread's start and Pagefind's spawn (0.1-0.25 s at 1k) left the main
        // thread idle before the Vite builds, which run meanwhile now. The first page waits for it,
        // and a Pagefind that cannot start fails the build with its errors (each page's add, and the write).
        const offThread = startingPagefind(pagefindOffThread());
        const feed = new SearchIndexer(offThread.index);
        search = { pagefind: offThread, feed };
        const base = twinPrerenderer(() => {
          if (serverDir === undefined) throw new Error('the twin prerenderer needs a server build (an adapter)');
          return serverDir;
        });
        setPrerenderer(() => ({
          ...base,
          name: 'hangarstack:pagefind-feed',
          async getStaticPaths() {
            const paths = await base.getStaticPaths();
            feed.plan(paths.map((p) => p.pathname));
            // Astro generates in this order: the indexed pages first (in their own order), so the
            // index is written while the rest generate, the sheets' batch first of the rest (its
            // writes overlap the lists' renders). Each page is its own file, and the sitemap sorts
            // its URLs, so the output does not depend on the order.
            const rest = paths.filter((p) => !isIndexedPath(p.pathname));
            return [...paths.filter((p) => isIndexedPath(p.pathname)), ...rest.filter((p) => p.pathname === AIRCRAFT_SHEETS_ROUTE), ...rest.filter((p) => p.pathname !== AIRCRAFT_SHEETS_ROUTE)];
          },
          async render(request, options) {
            const pathname = new URL(request.url).pathname;
            if (pathname === AIRCRAFT_SHEETS_ROUTE) return writeSheets(await base.render(request, options));
            feed.started(pathname);
            const rendered: Rendered = await base.render(request, options);
            const { response, metadata } = rendered instanceof Response ? { response: rendered, metadata: undefined } : rendered;
            // Astro reads the body once to write the page: read it here and hand on a copy.
            const bytes = response.body === null ? null : Buffer.from(await response.arrayBuffer());
            const written = writer && clientDir !== undefined && bytes && response.status === 200 && writtenHere(pathname) ? { writer, file: join(clientDir, pageFile(pathname)) } : undefined;
            // Astro writes these bytes as they are unless it redirects (then it writes a page of its own);
            // the writer thread hashes what it writes.
            if (bytes && !written && (response.status < 300 || response.status >= 400)) pages?.record(pathname, bytes);
            // Pagefind gets the bytes: its thread decodes them (pagefind-off-thread.ts).
            await feed.rendered(pathname, response.status === 200 && bytes && isIndexedPath(pathname) ? bytes : null);
            if (!writing && clientDir !== undefined && feed.complete) startWriting(clientDir);
            if (written && bytes) {
              // Last use of `bytes`: its buffer moves to the writer thread. Safe after the feed: it keeps
              // no reference to them past rendered() (a page held for its turn is copied, search-indexer.ts).
              await written.writer.write(written.file, bytes);
              const none = new Response(null, { status: 200, headers: response.headers });
              return metadata === undefined ? none : { response: none, metadata };
            }
            const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
            return metadata === undefined ? copy : { response: copy, metadata };
          },
        }));
      },
      // Pagefind writes its index in its own process while Astro finishes the build and the
      // sitemap is made (build:done hooks run one after another); build:done waits for it.
      'astro:build:generated': async ({ dir }) => {
        // Every page on disk before the deploy manifest (build:done) walks the client dir, with the hashes it takes.
        const written = await writer?.finish();
        if (written && clientDir !== undefined) for (const [file, hash] of written) pages?.recordFile(relative(clientDir, file).split(sep).join('/'), hash);
        // Not started yet: some pages were not streamed (restored from a cache), or none rendered.
        if (!writing) startWriting(fileURLToPath(dir));
        else if (writing.path !== fileURLToPath(dir)) throw new Error(`Pagefind wrote its index into ${writing.path}, but Astro built into ${fileURLToPath(dir)}`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!writing) throw new Error('Pagefind index missing: astro:build:generated did not run');
        if (fileURLToPath(dir) !== writing.path) throw new Error(`Pagefind indexed ${writing.path}, but the build's client dir is ${fileURLToPath(dir)}`);
        logger.info(`indexed ${await writing.pages} pages for search`);
      },
    },
  };
}
