import { z } from 'zod';
import { slugSchema } from './slug.ts';

/**
 * A compact ("short") entry for one ICAO Doc 8643 aircraft type designator, in
 * `data/types/<designator>.json`. Every designator gets one, so each is findable even when we have
 * no full record. Full records link to it through their own `icao` field (computed where needed,
 * not stored here, so a new record never leaves an entry stale). Derived by
 * `scripts/data/derive.ts` from the public designator list, never edited by hand.
 */

/** ICAO's description letter 1: what kind of aircraft. `special`: a designator that is not a type (ZZZZ, GLID, BALL…). */
export const TYPE_KINDS = ['landplane', 'seaplane', 'amphibian', 'helicopter', 'gyroplane', 'tiltrotor', 'special'] as const;
/** ICAO's description letter 3. `jet` covers turbojets and turbofans, `turboprop` also turboshafts. */
export const TYPE_ENGINE_TYPES = ['jet', 'turboprop', 'piston', 'electric', 'rocket'] as const;

export const TYPE_SOURCE = 'ICAO Doc 8643 aircraft type designators (via the readsb-protobuf type database)';

export const typeDesignatorSchema = z.strictObject({
  /** The designator, e.g. "B738"; equals the file name without `.json`. */
  designator: z.string().regex(/^[A-Z0-9]{2,4}$/, 'must be 2–4 upper-case letters or digits'),
  /** Marks the entry as a short entry (designator facts only), as opposed to a full record. */
  short: z.literal(true),
  /** Manufacturer as ICAO writes it (upper case, e.g. "BOEING"); absent when the list gives none. */
  manufacturer: z.string().min(1).max(120).optional(),
  /** Our manufacturer record, when its slug matches ICAO's manufacturer name. */
  manufacturerSlug: slugSchema.optional(),
  /** Model as ICAO writes it, e.g. "737-800"; for special designators, what the designator means. */
  model: z.string().min(1).max(160),
  kind: z.enum(TYPE_KINDS),
  engineType: z.enum(TYPE_ENGINE_TYPES).optional(),
  /** Number of engines; absent when ICAO gives none (0, or coupled engines such as the Gannet's). */
  engineCount: z.number().int().min(1).max(10).optional(),
  /** ICAO wake turbulence category: Light, Medium, Heavy, Super (J). */
  wakeCategory: z.enum(['L', 'M', 'H', 'J']).optional(),
  /** Attribution, the same on every entry. */
  source: z.literal(TYPE_SOURCE),
});

export type TypeDesignator = z.infer<typeof typeDesignatorSchema>;
