import { z } from 'zod';
import { slugSchema } from './slug.ts';

/**
 * `hangarstack.data.updates`: one event per added, changed or removed aircraft or manufacturer,
 * produced by `./hangar data publish`. The topic is compacted and keyed `<kind>:<slug>`, so its
 * latest event per key is also the record of what was last published: the next publish diffs
 * `data/` against it. The collector reloads its known slugs from it; rebuilds take the changed
 * keys (`HANGAR_DATA_CHANGES`).
 */

export const DATA_UPDATE_SCHEMA_VERSION = 1;

export const dataKindSchema = z.enum(['aircraft', 'manufacturer']);
export type DataKind = z.infer<typeof dataKindSchema>;

/** Short content digests (base64url of SHA-256, 16 characters: collisions are not a concern here). */
const digestSchema = z.string().regex(/^[A-Za-z0-9_-]{16}$/);

export const dataUpdateSchema = z.strictObject({
  schema: z.literal(DATA_UPDATE_SCHEMA_VERSION),
  /** When it was published (epoch ms). */
  at: z.number().int().nonnegative(),
  kind: dataKindSchema,
  slug: slugSchema,
  change: z.enum(['added', 'changed', 'removed']),
  /** Digest of the whole record (canonical JSON); null once removed. */
  digest: digestSchema.nullable(),
  /** The top-level fields that differ from the last published version (all of them when added, none when removed). */
  fields: z.array(z.string().max(100)).max(200),
  /** Per top-level field digests: how the next publish names the changed fields without the old record. */
  fieldDigests: z.record(z.string().max(100), digestSchema),
});

export type DataUpdate = z.infer<typeof dataUpdateSchema>;

/** The Kafka key (and compaction key) of a record's updates. */
export const dataUpdateKey = (kind: DataKind, slug: string): string => `${kind}:${slug}`;

/**
 * The changed records as one `kind:slug,kind:slug` list: what a rebuild hook gets in
 * `HANGAR_DATA_CHANGES`, so a targeted rebuild can re-render just their pages and lists.
 */
export function dataChangesList(updates: readonly Pick<DataUpdate, 'kind' | 'slug'>[]): string {
  return [...new Set(updates.map((u) => dataUpdateKey(u.kind, u.slug)))].sort().join(',');
}

/** Parses `HANGAR_DATA_CHANGES` back into kind and slug pairs (unknown entries are dropped). */
export function parseDataChangesList(list: string): { kind: DataKind; slug: string }[] {
  return list
    .split(',')
    .map((item) => item.trim().split(':'))
    .flatMap(([kind, slug]) => {
      const k = dataKindSchema.safeParse(kind);
      const s = slugSchema.safeParse(slug);
      return k.success && s.success ? [{ kind: k.data, slug: s.data }] : [];
    });
}
