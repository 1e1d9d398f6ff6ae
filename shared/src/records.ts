import { z } from 'zod';
import { EVENT_ID_PATTERN, eventIdSchema, BEACON_LIMITS, pageKindSchema, referrerHostSchema, searchFiltersSchema } from './events.ts';
import { hasFilters } from './search-facets.ts';
import { SLUG_MAX_LENGTH, SLUG_PATTERN, slugSchema } from './slug.ts';

/**
 * What the collector writes to Kafka (and to the embedded log): a validated beacon event,
 * enriched on the server. Never a raw IP address or user agent: `visitor` and `origin` are salted
 * hashes that cannot be linked across days, `device` a coarse class.
 */

/** 2 added `origin`; version 1 records (no origin) are still read, see `parseStoredRecord`. */
export const RECORD_SCHEMA_VERSION = 2;

export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop', 'other'] as const;
export const deviceClassSchema = z.enum(DEVICE_CLASSES);

/** 32 hex characters: the first 128 bits of SHA-256(daily salt, client network, user agent, site). */
export const HASH_ID_PATTERN = /^[0-9a-f]{32}$/;
export const visitorIdSchema = z.string().regex(HASH_ID_PATTERN, 'must be 32 lower-case hex characters');

/**
 * 32 hex characters: the first 128 bits of SHA-256(daily salt, "origin", client network, site),
 * where the network is the IPv4 address or the IPv6 /64. Many visitors (user agents) can share
 * one origin; popularity caps how many of them count.
 */
export const originIdSchema = visitorIdSchema;

/** Enrichment of version 1 records, before `origin` existed. */
const enrichmentV1 = {
  schema: z.literal(RECORD_SCHEMA_VERSION),
  id: eventIdSchema,
  /** Client clock (epoch ms), as sent. */
  clientTs: z.number().int().nonnegative(),
  /** Server receive time (epoch ms): the event time used for windows. */
  receivedAt: z.number().int().nonnegative(),
  visitor: visitorIdSchema,
  device: deviceClassSchema,
};
const enrichment = { ...enrichmentV1, origin: originIdSchema };

export const viewRecordSchema = z.strictObject({
  ...enrichment,
  type: z.literal('view'),
  aircraft: slugSchema,
});

const searchShape = {
  type: z.literal('search'),
  /** Normalised query (see `normaliseQuery`); also the Kafka key. Empty when filters browsed without a query (key: `filterKey`). */
  query: z.string().max(BEACON_LIMITS.maxQueryLength),
  results: z.number().int().min(0).max(BEACON_LIMITS.maxResults),
  clicked: slugSchema.nullable(),
  /** The facet filters applied, canonical (search-facets.ts); absent when none were (and in records written before filters). */
  filters: searchFiltersSchema.optional(),
};
const queryOrFilters = (r: { query: string; filters?: object | undefined }) => r.query.length > 0 || hasFilters(r.filters);
const queryOrFiltersMessage = { message: 'a search record needs a query or at least one filter', path: ['query'] };

export const searchRecordSchema = z.strictObject({ ...enrichment, ...searchShape }).refine(queryOrFilters, queryOrFiltersMessage);

export const eventRecordSchema = z.discriminatedUnion('type', [viewRecordSchema, searchRecordSchema]);

/**
 * Version 1 records, written before `origin` existed. Read as version 2 with each visitor as its
 * own origin: nothing can recover the network they came from, and history keeps counting.
 */
const legacyRecordSchema = z
  .discriminatedUnion('type', [
    viewRecordSchema.omit({ origin: true }).extend({ schema: z.literal(1) }),
    z.strictObject({ ...enrichmentV1, ...searchShape, schema: z.literal(1) }).refine(queryOrFilters, queryOrFiltersMessage),
  ])
  .transform((r): EventRecord => ({ ...r, schema: RECORD_SCHEMA_VERSION, origin: r.visitor }));

/** What a reader of the topics accepts: current records, and version 1 upgraded. */
export const storedRecordSchema = z.union([eventRecordSchema, legacyRecordSchema]);

/** Parses a record read from a topic or the embedded log; null when it is not a valid record. */
export function parseStoredRecord(value: string | null): EventRecord | null {
  if (value === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  return storedRecordOf(json);
}

/**
 * A parsed JSON value as a stored record, or null. The current view record (nearly every record a
 * consumer reads) is checked by `asViewRecord`, which accepts exactly what `viewRecordSchema`
 * accepts (a property test holds them equal) at a tenth of zod's cost and without copying it;
 * anything else goes through the schemas.
 */
export function storedRecordOf(json: unknown): EventRecord | null {
  const view = asViewRecord(json);
  if (view) return view;
  const result = storedRecordSchema.safeParse(json);
  return result.success ? result.data : null;
}

const DEVICES: ReadonlySet<unknown> = new Set(DEVICE_CLASSES);
const VIEW_RECORD_KEYS = Object.keys(viewRecordSchema.shape).length;
const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const matches = (value: unknown, pattern: RegExp): boolean => typeof value === 'string' && pattern.test(value);

/**
 * `json` itself when it is a current view record, else null (then the schemas decide, and say why).
 * The same checks as `viewRecordSchema`, hand-written: a consumer reads every record, and zod's
 * parse (a copy of the object, a check object per field) was a tenth of its time.
 */
export function asViewRecord(json: unknown): ViewRecord | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const r = json as Record<string, unknown>;
  if (r.type !== 'view' || r.schema !== RECORD_SCHEMA_VERSION) return null;
  // Strict: no key beyond the schema's (each of them is checked below, so none is missing;
  // JSON.parse makes `__proto__` an own key too). Own keys counted with for-in, not
  // `Object.keys`, which allocated an array per record.
  let keys = 0;
  for (const key in r) if (Object.hasOwn(r, key)) keys++;
  if (keys !== VIEW_RECORD_KEYS) return null;
  const { id, clientTs, receivedAt, visitor, origin, device, aircraft } = r;
  if (!matches(id, EVENT_ID_PATTERN) || !isCount(clientTs) || !isCount(receivedAt) || !matches(visitor, HASH_ID_PATTERN) || !matches(origin, HASH_ID_PATTERN)) return null;
  if (!DEVICES.has(device) || typeof aircraft !== 'string' || aircraft.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(aircraft)) return null;
  return r as ViewRecord;
}

export type DeviceClass = z.infer<typeof deviceClassSchema>;
export type ViewRecord = z.infer<typeof viewRecordSchema>;
export type SearchRecord = z.infer<typeof searchRecordSchema>;
export type EventRecord = z.infer<typeof eventRecordSchema>;

/**
 * `hangarstack.user.activity`, keyed by visitor (one visitor's day lives in one partition, for
 * co-views and entry pages): every page view, an aircraft view fanned out from the same beacon
 * event as its `view` record (same id). Only the referrer's host, never a URL.
 */
export const activityRecordSchema = z.strictObject({
  ...enrichment,
  type: z.literal('activity'),
  page: z.union([pageKindSchema, z.literal('aircraft')]),
  /** The aircraft of an aircraft page, else null. */
  aircraft: slugSchema.nullable(),
  /** The referrer's host when it is another site's, else null. */
  ref: referrerHostSchema.nullable(),
  /** Whether this page opened the visit (no referrer from the site itself). */
  entry: z.boolean(),
});

export type ActivityRecord = z.infer<typeof activityRecordSchema>;
