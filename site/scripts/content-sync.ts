/**
 * The content layer of a full build, synced without Astro's temporary Vite server.
 *
 * Before every build Astro's own sync starts a Vite dev server (a second `createVite` with every
 * plugin, a route scan, the SSR module runner) only to import `src/content.config.ts` through it,
 * and writes the editor's type files (`.astro/*.d.ts`) while it is up. Our content config needs no
 * Vite: it imports `astro/content/config`, `astro/loaders` and the shared schemas, all of which
 * Node imports as they are (it strips the file's types). So astro-build.ts runs `build()` with
 * `sync: false` and this integration does the rest of Astro's sync itself, at `astro:config:done`
 * (before Vite is set up), with Astro's own functions: the config loaded and parsed by
 * `reloadContentConfigObserver` (Node's `import` in place of the runner's), the data store read
 * and every collection loaded, validated and written by a `ContentLayer`, exactly as
 * `syncInternal` does. The type files are left to `astro sync` (`pnpm check`), which the build
 * never reads.
 *
 * These are Astro internals, imported by file from the installed package (the lockfile pins it):
 * build.test.ts builds the fixture site through this path, so an Astro upgrade that moves them
 * fails there, naming the file.
 */
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroConfig, AstroIntegration } from 'astro';

/** A module of the installed astro package's dist/, by its path there. */
async function astroInternal<T>(path: string): Promise<T> {
  const url = new URL(path, import.meta.resolve('astro'));
  try {
    return (await import(url.href)) as T;
  } catch (error) {
    throw new Error(`content-sync.ts: Astro's internal ${path} is not where it was (${(error as Error).message}); see site/scripts/content-sync.ts`, { cause: error });
  }
}

interface Logger {
  forkIntegrationLogger(label: string): unknown;
}
type Settings = { config: AstroConfig };
interface Internals {
  createSettings(config: AstroConfig, logLevel: string, cwd: string): Promise<Settings>;
  loadOrCreateNodeLogger(config: AstroConfig, inline: { logLevel: string }): Promise<Logger>;
  reloadContentConfigObserver(options: { fs: typeof fs; settings: Settings; environment: { runner: { import(path: string): Promise<unknown> } }; logger: Logger }): Promise<void>;
  globalContentConfigObserver: { get(): { status: string; error?: Error } };
  getDataStoreFile(settings: Settings, isDev: boolean): URL;
  getDataStoreChunkSize(settings: Settings): number | undefined;
  MutableDataStore: { fromFile(file: URL): Promise<unknown> };
  ContentLayer: new (options: { settings: Settings; logger: Logger; store: unknown }) => { sync(): Promise<void>; dispose(): void };
}

async function internals(): Promise<Internals> {
  const [settings, logger, utils, paths, store, layer] = await Promise.all([
    astroInternal<Pick<Internals, 'createSettings'>>('./core/config/settings.js'),
    astroInternal<Pick<Internals, 'loadOrCreateNodeLogger'>>('./core/logger/load.js'),
    astroInternal<Pick<Internals, 'reloadContentConfigObserver' | 'globalContentConfigObserver'>>('./content/utils.js'),
    astroInternal<Pick<Internals, 'getDataStoreFile' | 'getDataStoreChunkSize'>>('./content/paths.js'),
    astroInternal<Pick<Internals, 'MutableDataStore'>>('./content/mutable-data-store.js'),
    astroInternal<Pick<Internals, 'ContentLayer'>>('./content/content-layer.js'),
  ]);
  return { ...settings, ...logger, ...utils, ...paths, ...store, ...layer };
}

/** Syncs the content layer at `astro:config:done`; only for a `build(…, { sync: false })`. */
export function contentSyncWithoutVite(logLevel: string): AstroIntegration {
  return {
    name: 'hangarstack:content-sync',
    hooks: {
      'astro:config:done': async ({ config }) => {
        const astro = await internals();
        const settings = await astro.createSettings(config, logLevel, fileURLToPath(config.root));
        const logger = await astro.loadOrCreateNodeLogger(config, { logLevel });
        if (astro.getDataStoreChunkSize(settings) !== undefined) throw new Error('content-sync.ts: experimental.collectionStorage (a chunked data store) is not supported here; use Astro\'s own sync');
        const runner = { import: (path: string) => import(pathToFileURL(path).href) };
        await astro.reloadContentConfigObserver({ fs, settings, environment: { runner }, logger });
        const loaded = astro.globalContentConfigObserver.get();
        if (loaded.status === 'error') throw loaded.error ?? new Error('the content config did not load');
        const store = await astro.MutableDataStore.fromFile(astro.getDataStoreFile(settings, false));
        const layer = new astro.ContentLayer({ settings, logger, store });
        try {
          await layer.sync();
        } finally {
          layer.dispose();
        }
      },
    },
  };
}
