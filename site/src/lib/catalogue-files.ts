import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aircraftSchema, manufacturerSchema, typeDesignatorSchema } from '@hangarstack/shared';

/**
 * The catalogue, read from the data dir when the pages first ask for it, in a full build and in
 * every rebuild alike: each record validated by its shared schema (a bad one fails the build
 * naming its file and field), its id the record's `slug`, else its file name, in file-name order.
 *
 * Not Astro's content layer: its sync (the glob loaders, zod, then `devalue` writing a data store)
 * ran before the Vite builds, and the store it wrote was inlined into both server bundles (1.2 MB
 * at 1k aircraft), which a rebuild's bundle could not use anyway (a data-change rebuild renders
 * through the live build's bundle, with the data as it is now: site/scripts/data-rebuild.ts).
 * Reading the files here costs the first page what the sync cost before the bundles (site/BUILD-PERFORMANCE.md,
 * "Seventh round").
 */
const collections = {
  aircraft: { dir: 'aircraft', schema: aircraftSchema },
  manufacturers: { dir: 'manufacturers', schema: manufacturerSchema },
  types: { dir: 'types', schema: typeDesignatorSchema },
} as const;

export type CollectionName = keyof typeof collections;
/** One record of a collection, as the pages see it. */
export type CollectionEntry<N extends CollectionName> = { id: string; collection: N; data: ReturnType<(typeof collections)[N]['schema']['parse']> };

/**
 * Where the render worker puts collections it parsed off the main thread while the build that
 * made its bundle still ran (site/scripts/catalogue-preload.ts), so the bundle's first render does
 * not parse them (10k aircraft: 1.4 s): a Map of `<dataDir>\0<name>` to entries, each taken once.
 * A global symbol, because the bundle has its own copy of this module.
 */
export const PRELOADED = Symbol.for('hangarstack.preloaded-catalogue');

/** The collection `name` of the catalogue in `dataDir`; `read` reads a record file (the preload hashes what it reads). */
export function readCollectionFiles<N extends CollectionName>(dataDir: string, name: N, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): CollectionEntry<N>[] {
  const preloaded = (globalThis as { [PRELOADED]?: Map<string, unknown> })[PRELOADED];
  const ready = preloaded?.get(`${dataDir}\0${name}`);
  if (ready) {
    preloaded?.delete(`${dataDir}\0${name}`);
    return ready as CollectionEntry<N>[];
  }
  const { dir, schema } = collections[name];
  const base = join(dataDir, dir);
  // A catalogue may lack types/ (an empty collection); without aircraft/ or manufacturers/ the
  // data dir is wrong, and a build of it would silently have no aircraft pages.
  if (!existsSync(base)) {
    if (name === 'types') return [];
    throw new Error(`${base}: no such directory; HANGAR_DATA_DIR must name the catalogue (the repository's data/ by default)`);
  }
  return readdirSync(base)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = schema.safeParse(JSON.parse(read(join(base, file))));
      if (!parsed.success) throw new Error(`${join(base, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const data = parsed.data as CollectionEntry<N>['data'];
      const id = 'slug' in data && typeof data.slug === 'string' ? data.slug : file.slice(0, -'.json'.length).toLowerCase();
      return { id, collection: name, data };
    });
}
