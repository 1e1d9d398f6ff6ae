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

export function readCollectionFiles<N extends Name>(dataDir: string, name: N) {
  const { dir, schema } = collections[name];
  const base = join(dataDir, dir);
  // As the glob loader: a collection without its directory is empty (a catalogue without types/).
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = schema.safeParse(JSON.parse(readFileSync(join(base, file), 'utf8')));
      if (!parsed.success) throw new Error(`${join(base, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const data = parsed.data as ReturnType<(typeof collections)[N]['schema']['parse']>;
      const id = 'slug' in data && typeof data.slug === 'string' ? data.slug : file.slice(0, -'.json'.length).toLowerCase();
      return { id, collection: name, data };
    });
}
