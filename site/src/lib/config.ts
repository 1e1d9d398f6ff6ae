import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseEnv } from '@hangarstack/shared';

/**
 * The repository root, from this file's place in `site/src/lib/`. Inside the server bundle this
 * module sits in a chunk elsewhere, so what loads the pages names their paths (`namePathsForPages`).
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Every variable the site reads (the Astro build, build-and-swap, serve, budgets), defined once.
 * Defaults are relative to the repository root; a relative value given in the environment is
 * relative to the working directory, as a shell user expects.
 */
export const siteEnvShape = {
  /** Where `aircraft/*.json` and `manufacturers/*.json` live. */
  HANGAR_DATA_DIR: z.string().min(1).default(resolve(REPO_ROOT, 'data')),
  /** The consumer's popularity snapshot; absent file → neutral lists. */
  POPULARITY_FILE: z.string().min(1).default(resolve(REPO_ROOT, '.data/popularity.json')),
  /** The collector origin the beacon posts to, baked into the bundle. */
  PUBLIC_COLLECTOR_URL: z.url().default('http://127.0.0.1:8787'),
  /** Canonical origin for canonical URLs, the sitemap and Open Graph. */
  SITE_URL: z.url().default('http://localhost:4321'),
  /** Where build-and-swap keeps builds and the `current` symlink serve follows. */
  HANGAR_LIVE_DIR: z.string().min(1).default(resolve(REPO_ROOT, 'site/.live')),
  /** The port serve listens on (0: any free port). */
  SITE_PORT: z.coerce.number().int().min(0).max(65_535).default(4321),
  /** Astro's incremental-build cache (tests build fixture sites with their own). */
  ASTRO_CACHE_DIR: z.string().min(1).optional(),
  /** How much the Astro build prints. */
  ASTRO_LOG_LEVEL: z.enum(['warn', 'info']).default('warn'),
  /** A build that showed no sign of life for this long (it died) loses its lock to the next one. */
  BUILD_LOCK_STALE_MS: z.coerce.number().int().min(2_000).default(60_000),
  /**
   * A render worker (scripts/render-worker.ts) keeps the live bundle loaded for popularity-only
   * rebuilds and exits after this long without one; 0: no worker, each rebuild loads the bundle.
   */
  RENDER_WORKER_IDLE_MS: z.coerce.number().int().min(0).default(600_000),
  /** `kind:slug,…` of the data records the consumer saw change (hangarstack.data.updates), for the build's log line. */
  HANGAR_DATA_CHANGES: z.string().default(''),
};

export interface SiteConfig {
  dataDir: string;
  popularityFile: string;
  collectorUrl: string;
  siteUrl: string;
  liveDir: string;
  port: number;
  /** undefined: Astro's default cache dir. */
  cacheDir: string | undefined;
  astroLogLevel: 'warn' | 'info';
  buildLockStaleMs: number;
  renderWorkerIdleMs: number;
  dataChanges: string[];
}

/**
 * The site's configuration, parsed from the environment; paths come back absolute, relative ones
 * resolved against `cwd` (the render worker parses the environment of the command that asked it).
 */
export function loadSiteConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): SiteConfig {
  const e = parseEnv(siteEnvShape, env);
  return {
    dataDir: resolve(cwd, e.HANGAR_DATA_DIR),
    popularityFile: resolve(cwd, e.POPULARITY_FILE),
    collectorUrl: e.PUBLIC_COLLECTOR_URL,
    siteUrl: e.SITE_URL,
    liveDir: resolve(cwd, e.HANGAR_LIVE_DIR),
    port: e.SITE_PORT,
    cacheDir: e.ASTRO_CACHE_DIR === undefined ? undefined : resolve(cwd, e.ASTRO_CACHE_DIR),
    astroLogLevel: e.ASTRO_LOG_LEVEL,
    buildLockStaleMs: e.BUILD_LOCK_STALE_MS,
    renderWorkerIdleMs: e.RENDER_WORKER_IDLE_MS,
    dataChanges: e.HANGAR_DATA_CHANGES.split(',').filter(Boolean),
  };
}

let parsed: SiteConfig | undefined;

/**
 * Names, in this process's environment, the paths the pages read (the catalogue, the popularity
 * snapshot), for the server bundle they run in: there the defaults would resolve against the
 * chunk's place, not the repository (a fresh clone built no aircraft page). Called by what loads
 * the pages: the full build's astro child and the rebuilds' `loadBundle` (render-routes.ts).
 */
export function namePathsForPages(popularityFile = siteConfig().popularityFile): void {
  process.env.POPULARITY_FILE = popularityFile;
  process.env.HANGAR_DATA_DIR = siteConfig().dataDir;
}

/**
 * The site config of this process, parsed once on first use: what astro.config.ts, the catalogue
 * reader and the pages read (a build or a render runs in a process of its own, started with the
 * environment it should see; nothing writes configuration back into process.env).
 */
export function siteConfig(): SiteConfig {
  parsed ??= loadSiteConfig();
  return parsed;
}
