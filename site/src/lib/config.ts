import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseEnv } from '@hangarstack/shared';

/** The repository root, from this file's place in `site/src/lib/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The site's build-time configuration, parsed once from the environment. `astro.config.ts`
 * reads it and passes resolved values on, so every page sees the same numbers.
 */
export function loadSiteConfig(env: Record<string, string | undefined> = process.env) {
  return parseEnv(
    {
      /** Where `aircraft/*.json` and `manufacturers/*.json` live. */
      HANGAR_DATA_DIR: z.string().default(resolve(REPO_ROOT, 'data')),
      /** The consumer's popularity snapshot; absent file → neutral lists. */
      POPULARITY_FILE: z.string().default(resolve(REPO_ROOT, '.data/popularity.json')),
      /** The collector origin the beacon posts to, baked into the bundle. */
      PUBLIC_COLLECTOR_URL: z.url().default('http://127.0.0.1:8787'),
      /** Canonical origin for canonical URLs, the sitemap and Open Graph. */
      SITE_URL: z.url().default('http://localhost:4321'),
    },
    env,
  );
}

export type SiteConfig = ReturnType<typeof loadSiteConfig>;
