import { defineConfig, passthroughImageService } from 'astro/config';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { siteConfig } from './src/lib/config.ts';
import { deployManifest } from './src/lib/deploy-manifest-integration.ts';
import { PageHashes } from './src/lib/page-hashes.ts';
import { PAGEFIND_DIR, pagefindIndex } from './src/lib/pagefind-integration.ts';
import { RENDER_PREFIX, routeFile } from './src/lib/render-route.ts';
import { ROUTE_KEYS_ROUTE } from './src/lib/route-kinds.ts';

// The same parse the pages and the scripts use (src/lib/config.ts).
const config = siteConfig();

// Each page's hash as it is rendered, for the deploy manifest; the search index's files once written.
const pages = new PageHashes();
const search = pagefindIndex({ pages });

/** Every page is prerendered; the node adapter only serves them (see scripts/serve.ts). */
export default defineConfig({
  site: config.siteUrl,
  output: 'static',
  // Static assets live in the repository's top-level public/ (the design card's layout), beside data/.
  publicDir: '../public',
  // Tests build fixture sites with their own cache dir, so they never evict the live site's.
  ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
  trailingSlash: 'always',
  adapter: node({ mode: 'standalone' }),
  // The deploy manifest goes last: it hashes what the others wrote (see its file), Pagefind's index
  // once it is written. The route keys never deploy (build-and-swap moves them into the build record).
  integrations: [
    // Not the on-demand twins (src/lib/render-route.ts): they render pages for rebuilds and are never served.
    sitemap({ filter: (page) => !page.includes('/404') && !new URL(page).pathname.startsWith(`${RENDER_PREFIX}/`) }),
    search,
    deployManifest({ pages, skip: [routeFile(ROUTE_KEYS_ROUTE)], late: [{ dir: PAGEFIND_DIR, written: search.written }] }),
  ],
  // Each page costs a render on the main thread and then a mkdir and a write (and then also the
  // incremental cache's copy) on libuv's threads: one page at a time left the thread idle about half the
  // generate phase (site/BUILD-PERFORMANCE.md, "Where a full build spends its time"). Eight in flight
  // overlap that I/O with the next renders; 4, 8 and 16 measured alike.
  build: { inlineStylesheets: 'always', format: 'directory', concurrency: 8 },
  compressHTML: true,
  // No image service: the pages use plain <img> (no astro:assets), so sharp only went into the server
  // bundle for the adapter's /_image endpoint: ~66 modules (sharp, semver, detect-libc, 340 KB) transformed
  // by every build and ~35 MB of peak RSS (1k, 3 interleaved pairs: 593-606 -> 561-562 MiB). Same client/.
  image: { service: passthroughImageService() },
  prefetch: false,
  devToolbar: { enabled: false },
  // No incremental build (`experimental.incrementalBuild`): it wrote every page a second time
  // into the cache (10k: generate 21.6 → 17.5 s, CPU 34.8 → 28.4 s without it). Data changes
  // re-render just their routes through the live bundle (scripts/data-rebuild.ts), so a full
  // build is a code change or a fallback, where the cache restored little.
  vite: {
    define: { __COLLECTOR_URL__: JSON.stringify(config.collectorUrl) },
    build: { assetsInlineLimit: 0 },
    // The site has no PostCSS config: saying so inline spares Vite's search for one (postcss-load-config
    // walking up from site/ to the workspace root, reading each package.json) in every build. With no
    // plugins Vite runs PostCSS on nothing, exactly as when the search finds no config.
    css: { postcss: {} },
  },
});
