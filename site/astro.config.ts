import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { siteConfig } from './src/lib/config.ts';
import { pagefindIndex } from './src/lib/pagefind-integration.ts';

// The same parse the pages, the content config and the scripts use (src/lib/config.ts).
const config = siteConfig();

/** Every page is prerendered; the node adapter only serves them (see scripts/serve.ts). */
export default defineConfig({
  site: config.siteUrl,
  output: 'static',
  // Static assets live in the repository's top-level public/ (the design card's layout), beside data/.
  publicDir: '../public',
  // Tests build fixture sites with their own cache, so they never evict the live site's incremental cache.
  ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
  trailingSlash: 'always',
  adapter: node({ mode: 'standalone' }),
  integrations: [sitemap({ filter: (page) => !page.includes('/404') }), pagefindIndex()],
  // Each page costs a render on the main thread and then a mkdir, a write and the incremental
  // cache's copy on libuv's threads: one page at a time left the thread idle about half the
  // generate phase (site/README.md, "Where a full build spends its time"). Eight in flight
  // overlap that I/O with the next renders; 4, 8 and 16 measured alike.
  build: { inlineStylesheets: 'always', format: 'directory', concurrency: 8 },
  compressHTML: true,
  prefetch: false,
  devToolbar: { enabled: false },
  experimental: { incrementalBuild: true },
  vite: {
    define: { __COLLECTOR_URL__: JSON.stringify(config.collectorUrl) },
    build: { assetsInlineLimit: 0 },
  },
});
