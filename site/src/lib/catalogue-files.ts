import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aircraftSchema, manufacturerSchema, typeDesignatorSchema } from '@hangarstack/shared';

/**
 * The catalogue read from the data dir at render time, as the content collections' entries: a
 * data-change rebuild renders the changed routes through the live build's server bundle, whose
 * content layer holds the data of the build it came from (site/scripts/data-rebuild.ts). Same
 * schemas as content.config.ts, same ids as the glob loader (a record's `slug`, else its file
 * name), in file-name order; the partial-versus-full test proves the pages come out the same.
 */
const collections = {
  aircraft: { dir: 'aircraft', schema: aircraftSchema },
  manufacturers: { dir: 'manufacturers', schema: manufacturerSchema },
  types: { dir: 'types', schema: typeDesignatorSchema },
} as const;

type Name = keyof typeof collections;
type Entry<N extends Name> = { id: string; collection: N; data: ReturnType<(typeof collections)[N]['schema']['parse']> };

/**
 * Where the render worker puts collections it parsed off the main thread while the build that
 * made its bundle still ran (site/scripts/catalogue-preload.ts), so the bundle's first render does
 * not parse them (10k aircraft: 1.4 s): a Map of `<dataDir>\0<name>` to entries, each taken once.
 * A global symbol, because the bundle has its own copy of this module.
 */
export const PRELOADED = Symbol.for('hangarstack.preloaded-catalogue');

/** The collection `name` of the catalogue in `dataDir`; `read` reads a record file (the preload hashes what it reads). */
export function readCollectionFiles<N extends Name>(dataDir: string, name: N, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): Entry<N>[] {
  const preloaded = (globalThis as { [PRELOADED]?: Map<string, unknown> })[PRELOADED];
  const ready = preloaded?.get(`${dataDir}\0${name}`);
  if (ready) {
    preloaded?.delete(`${dataDir}\0${name}`);
    return ready as Entry<N>[];
  }
  const { dir, schema } = collections[name];
  const base = join(dataDir, dir);
  // As the glob loader: a collection without its directory is empty (a catalogue without types/).
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = schema.safeParse(JSON.parse(read(join(base, file))));
      if (!parsed.success) throw new Error(`${join(base, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const data = parsed.data as Entry<N>['data'];
      const id = 'slug' in data && typeof data.slug === 'string' ? data.slug : file.slice(0, -'.json'.length).toLowerCase();
      return { id, collection: name, data };
    });
}
