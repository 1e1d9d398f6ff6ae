import { z } from 'zod';
import { readRecordDir } from '../transport/data-updates/record-dir.ts';

/** What the consumer needs of an aircraft record: the facets the home page's popular lists group by. */
export interface CatalogueEntry {
  manufacturer: string;
  roles: readonly string[];
  firstFlight: string | undefined;
}
export type Catalogue = ReadonlyMap<string, CatalogueEntry>;

const recordShape = z.object({ slug: z.string(), manufacturer: z.string(), roles: z.array(z.string()), firstFlight: z.string().optional() });

/**
 * Reads each aircraft's manufacturer, roles and first flight from `AIRCRAFT_DATA_DIR` (the site's
 * `data/aircraft`, already validated by the data check). Throws with the file and what to do when
 * the dir or a record cannot be read; the caller decides whether that stops the service.
 */
export function loadCatalogue(dir: string): Catalogue {
  const catalogue = new Map<string, CatalogueEntry>();
  for (const { path, record } of readRecordDir(dir)) {
    const parsed = recordShape.safeParse(record);
    if (!parsed.success) throw new Error(`${path} is not an aircraft record (${parsed.error.issues[0]?.message ?? 'invalid'}); run ./hangar data check`);
    catalogue.set(parsed.data.slug, { manufacturer: parsed.data.manufacturer, roles: parsed.data.roles, firstFlight: parsed.data.firstFlight });
  }
  return catalogue;
}
