import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { pagefindOffThread, type OffThreadPagefind } from './pagefind-off-thread.ts';
import { SearchIndexer } from './search-indexer.ts';

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
 */
export function pagefindIndex(): AstroIntegration {
  let search: { pagefind: OffThreadPagefind; feed: SearchIndexer } | undefined;
  let writing: { path: string; pages: Promise<number> } | undefined;
  return {
    name: 'hangarstack:pagefind',
    hooks: {
      'astro:build:setup': ({ updateConfig }) => {
        // With an adapter that resolves its own entrypoints (@astrojs/node), Astro leaves the
        // prerender bundle's entry to whoever sets a prerenderer; ours wraps Astro's default
        // one, which renders through that entry.
        updateConfig({ environments: { prerender: { build: { rolldownOptions: { input: 'astro/entrypoints/prerender' } } } } });
      },
      'astro:build:start': async ({ setPrerenderer }) => {
        const offThread = await pagefindOffThread();
        const feed = new SearchIndexer(offThread.index);
        search = { pagefind: offThread, feed };
        setPrerenderer((base) => ({
          ...base,
          name: 'hangarstack:pagefind-feed',
          async getStaticPaths() {
            const paths = await base.getStaticPaths();
            feed.plan(paths.map((p) => p.pathname));
            return paths;
          },
          async render(request, options) {
            const pathname = new URL(request.url).pathname;
            feed.started(pathname);
            const rendered: Rendered = await base.render(request, options);
            const { response, metadata } = rendered instanceof Response ? { response: rendered, metadata: undefined } : rendered;
            // Astro reads the body once to write the page: read it here and hand on a copy.
            const bytes = response.body === null ? null : Buffer.from(await response.arrayBuffer());
            await feed.rendered(pathname, response.status === 200 && bytes ? bytes.toString('utf8') : null);
            const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
            return metadata === undefined ? copy : { response: copy, metadata };
          },
        }));
      },
      // Pagefind writes its index in its own process while Astro finishes the build and the
      // sitemap is made (build:done hooks run one after another); build:done waits for it.
      'astro:build:generated': ({ dir }) => {
        if (!search) throw new Error('Pagefind index missing: astro:build:start did not run');
        const { pagefind, feed } = search;
        const path = fileURLToPath(dir);
        const pages = (async () => {
          const count = await feed.finish(path);
          await pagefind.write(`${path}/pagefind`);
          return count;
        })();
        // Awaited in build:done; until then a failure must not count as unhandled.
        pages.catch(() => undefined);
        writing = { path, pages };
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!writing) throw new Error('Pagefind index missing: astro:build:generated did not run');
        if (fileURLToPath(dir) !== writing.path) throw new Error(`Pagefind indexed ${writing.path}, but the build's client dir is ${fileURLToPath(dir)}`);
        logger.info(`indexed ${await writing.pages} pages for search`);
      },
    },
  };
}
