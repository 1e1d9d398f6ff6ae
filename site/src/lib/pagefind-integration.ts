import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { pageFile, type PageHashes } from './page-hashes.ts';
import { pageWriterOffThread, type OffThreadWriter } from './page-writer.ts';
import { indexWithPagefind } from './pagefind-cli.ts';
import { AIRCRAFT_SHEETS_ROUTE } from './route-kinds.ts';
import { isIndexedPath } from './search-indexer.ts';
import { isSearchedPage } from './search-extract.ts';
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
 * Pagefind's own CLI indexes the written pages once the last indexed page is on disk (pagefind-cli.ts
 * says why not its Node API; the indexed pages generate first), while Astro renders the rest,
 * finishes the build and makes the sitemap; build:done waits for it. The pages used to be streamed
 * to the Node API as they rendered: its one thread was the pace of a 10k build (~20 s of CPU for the
 * index, against ~10-12 s for the CLI on both cores).
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
  let writer: OffThreadWriter | undefined;
  let writing: { path: string; pages: Promise<number> } | undefined;
  /** The pages rendered with `data-pagefind-body`: what Pagefind must report having indexed. */
  let searched = 0;
  /** The indexed pages of this build (getStaticPaths), and how many of them are rendered and queued for writing. */
  let indexedPages = 0;
  let indexedDone = 0;
  /** Where Astro writes the pages (known once the config is done). */
  let clientDir: string | undefined;
  /** The server bundle's dir, whose App renders every page (twin-prerenderer.ts). */
  let serverDir: string | undefined;
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
  /**
   * Pagefind's CLI over the written pages of `path` (the client dir), once the writer thread has
   * every page queued so far on disk. Started when the last indexed page is rendered, while Astro
   * renders the rest (the sheets' batch, the lists) and makes the sitemap; else at build:generated.
   */
  const startIndex = (path: string): void => {
    const queued = writer;
    const indexed = (async () => {
      await queued?.drained();
      return indexWithPagefind(path, join(path, PAGEFIND_DIR), searched);
    })();
    // Awaited in build:done; until then a failure must not count as unhandled.
    indexed.catch(() => undefined);
    writing = { path, pages: indexed };
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
        searched = 0;
        indexedPages = 0;
        indexedDone = 0;
        writer = clientDir === undefined ? undefined : pageWriterOffThread();
        const base = twinPrerenderer(() => {
          if (serverDir === undefined) throw new Error('the twin prerenderer needs a server build (an adapter)');
          return serverDir;
        });
        setPrerenderer(() => ({
          ...base,
          name: 'hangarstack:page-writer',
          async getStaticPaths() {
            const paths = await base.getStaticPaths();
            // Astro generates in this order: the indexed pages first (in their own order), the
            // sheets' batch first of the rest (its writes overlap the lists' renders). Each page is
            // its own file, and the sitemap sorts its URLs, so the output does not depend on the order.
            const rest = paths.filter((p) => !isIndexedPath(p.pathname));
            const indexed = paths.filter((p) => isIndexedPath(p.pathname));
            indexedPages = indexed.length;
            return [...indexed, ...rest.filter((p) => p.pathname === AIRCRAFT_SHEETS_ROUTE), ...rest.filter((p) => p.pathname !== AIRCRAFT_SHEETS_ROUTE)];
          },
          async render(request, options) {
            const pathname = new URL(request.url).pathname;
            if (pathname === AIRCRAFT_SHEETS_ROUTE) return writeSheets(await base.render(request, options));
            const rendered: Rendered = await base.render(request, options);
            const { response, metadata } = rendered instanceof Response ? { response: rendered, metadata: undefined } : rendered;
            // Astro reads the body once to write the page: read it here and hand on a copy.
            const bytes = response.body === null ? null : Buffer.from(await response.arrayBuffer());
            const written = writer && clientDir !== undefined && bytes && response.status === 200 && writtenHere(pathname) ? { writer, file: join(clientDir, pageFile(pathname)) } : undefined;
            // Astro writes these bytes as they are unless it redirects (then it writes a page of its own);
            // the writer thread hashes what it writes.
            if (bytes && !written && (response.status < 300 || response.status >= 400)) pages?.record(pathname, bytes);
            if (bytes && response.status === 200 && isIndexedPath(pathname) && isSearchedPage(bytes)) searched += 1;
            if (written && bytes) {
              // Last use of `bytes`: its buffer moves to the writer thread.
              await written.writer.write(written.file, bytes);
              // The last indexed page: search need not wait for the rest of the build.
              if (isIndexedPath(pathname) && ++indexedDone === indexedPages && clientDir !== undefined && !writing) startIndex(clientDir);
              const none = new Response(null, { status: 200, headers: response.headers });
              return metadata === undefined ? none : { response: none, metadata };
            }
            const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
            return metadata === undefined ? copy : { response: copy, metadata };
          },
        }));
      },
      // Pagefind indexes the written pages in its own process (started at the last indexed page by
      // render above, or here if it was not) while Astro finishes the build and the sitemap is made
      // (build:done hooks run one after another); build:done waits for it.
      'astro:build:generated': async ({ dir }) => {
        // Every page on disk before Pagefind reads them and the deploy manifest (build:done) walks the client dir, with the hashes it takes.
        const written = await writer?.finish();
        if (written && clientDir !== undefined) for (const [file, hash] of written) pages?.recordFile(relative(clientDir, file).split(sep).join('/'), hash);
        if (!writing) startIndex(fileURLToPath(dir));
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!writing) throw new Error('Pagefind index missing: astro:build:generated did not run');
        if (fileURLToPath(dir) !== writing.path) throw new Error(`Pagefind indexed ${writing.path}, but the build's client dir is ${fileURLToPath(dir)}`);
        logger.info(`indexed ${await writing.pages} pages for search`);
      },
    },
  };
}
