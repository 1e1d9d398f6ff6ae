import { join } from 'node:path';
import { defineCollection } from 'astro:content';
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
