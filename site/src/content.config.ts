import { join } from 'node:path';
// Not `astro:content`: Astro evaluates this file in a temporary Vite server before the build, and
// that virtual module pulls in its whole render runtime (61 more modules transformed there, ~0.3 s
// of CPU per build); `astro/content/config` is the same `defineCollection` (astro:content's types
// re-export it) without the check for live collections, which this file does not define.
import { defineCollection } from 'astro/content/config';
import { glob } from 'astro/loaders';
import { aircraftSchema, manufacturerSchema, typeDesignatorSchema } from '@hangarstack/shared';
import { siteConfig } from './lib/config.ts';

/**
 * The catalogue, read from `HANGAR_DATA_DIR` (the site config) with the shared schemas, so a bad
 * record fails the build naming its file and field.
 */
const { dataDir } = siteConfig();

const aircraft = defineCollection({
  loader: glob({ pattern: '*.json', base: join(dataDir, 'aircraft') }),
  schema: aircraftSchema,
});

const manufacturers = defineCollection({
  loader: glob({ pattern: '*.json', base: join(dataDir, 'manufacturers') }),
  schema: manufacturerSchema,
});

/** Short entries, one per ICAO Doc 8643 designator (`data/types/`, derived by scripts/data/derive.ts). */
const types = defineCollection({
  loader: glob({ pattern: '*.json', base: join(dataDir, 'types') }),
  schema: typeDesignatorSchema,
});

export const collections = { aircraft, manufacturers, types };
