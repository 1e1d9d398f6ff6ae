import { resolve } from 'node:path';
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { loadSiteConfig } from './src/lib/config.ts';
import { pagefindIndex } from './src/lib/pagefind-integration.ts';

const config = loadSiteConfig();
// Pages and the content config read these; resolving them here keeps defaults in one place.
process.env.HANGAR_DATA_DIR = resolve(config.HANGAR_DATA_DIR);
process.env.POPULARITY_FILE = resolve(config.POPULARITY_FILE);

/** Every page is prerendered; the node adapter only serves them (see scripts/serve.ts). */
export default defineConfig({
  site: config.SITE_URL,
  output: 'static',
  // Tests build fixture sites with their own cache, so they never evict the live site's incremental cache.
  ...(process.env.ASTRO_CACHE_DIR ? { cacheDir: process.env.ASTRO_CACHE_DIR } : {}),
  trailingSlash: 'always',
  adapter: node({ mode: 'standalone' }),
  integrations: [sitemap({ filter: (page) => !page.includes('/404') }), pagefindIndex()],
  build: { inlineStylesheets: 'always', format: 'directory' },
  compressHTML: true,
  prefetch: false,
  devToolbar: { enabled: false },
  experimental: { incrementalBuild: true },
  vite: {
    define: { __COLLECTOR_URL__: JSON.stringify(config.PUBLIC_COLLECTOR_URL) },
    build: { assetsInlineLimit: 0 },
  },
});
