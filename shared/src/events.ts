import { z } from 'zod';
import { FILTER_LIMITS, FILTER_VALUE_PATTERN, canonicalFilters, hasFilters } from './search-facets.ts';
import { slugSchema } from './slug.ts';

/**
 * The beacon contract: what page scripts send to the collector's `POST /v1/events`.
 * The site's beacon builds these objects and the collector validates them with these schemas,
 * so the two cannot drift. Every string has a maximum length, every number a bound, and unknown
 * keys are rejected (`z.strictObject`).
 */

/** Bounds the collector enforces; exported so the beacon batches within them. */
export const BEACON_LIMITS = {
  /** Events in one beacon. */
  maxEvents: 25,
  /** Characters in a search query as typed. */
  maxQueryLength: 100,
  /** Result count of a search; the catalogue is far smaller. */
  maxResults: 100_000,
  /** Bytes of a beacon body (checked before parsing). */
  maxBodyBytes: 16 * 1024,
} as const;

/** Client-generated event id for de-duplication: 16–64 URL-safe characters (a UUID fits). */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const eventIdSchema = z.string().regex(EVENT_ID_PATTERN, 'must be 16–64 characters of A-Z, a-z, 0-9, _ or -');

/** Client clock in epoch milliseconds; bounded to the years a real browser can report. */
export const clientTimestampSchema = z
  .number()
  .int()
  .min(Date.UTC(2020, 0, 1))
  .max(Date.UTC(2100, 0, 1));

/**
 * A referrer's host name only (never its path or query: those carry search terms and ids), lower
 * case, no port. The beacon drops the site's own host; the collector drops its own origins too.
 */
export const referrerHostSchema = z
  .string()
  .max(253)
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'must be a bare host name (no scheme, port or path)');

/** The kinds of page the beacon reports on `hangarstack.user.activity` (aircraft pages send `view`). */
export const PAGE_KINDS = ['home', 'list', 'type', 'search', 'compare', 'popular', 'not-found'] as const;
export const pageKindSchema = z.enum(PAGE_KINDS);
export type PageKind = z.infer<typeof pageKindSchema>;

/** Where the visit came from: the referrer's host (absent: direct or own site) and whether this page opened the visit. */
const visitContext = {
  ref: referrerHostSchema.optional(),
  entry: z.boolean().optional(),
};

/** A page view of one aircraft page (counted for popularity and, fanned out, as user activity). */
export const viewEventSchema = z.strictObject({
  type: z.literal('view'),
  id: eventIdSchema,
  ts: clientTimestampSchema,
  /** Slug of the aircraft whose page was viewed. */
  aircraft: slugSchema,
  ...visitContext,
});

/** A view of any other page: home, lists, search, compare, popular, 404. */
export const pageEventSchema = z.strictObject({
  type: z.literal('page'),
  id: eventIdSchema,
  ts: clientTimestampSchema,
  page: pageKindSchema,
  ...visitContext,
});

const filterValuesSchema = z
  .array(z.string().max(FILTER_LIMITS.maxValueLength).regex(FILTER_VALUE_PATTERN, 'must be a slug (a-z, 0-9 and single hyphens)'))
  .min(1)
  .max(FILTER_LIMITS.maxValuesPerFacet);

/**
 * The search page's facet filters (search-facets.ts): known facets only (unknown keys are
 * rejected), each a bounded list of slug values; parsed into the canonical form (sorted, no
 * duplicates), so the same filters always look the same downstream.
 */
export const searchFiltersSchema = z
  .strictObject({
    role: filterValuesSchema.optional(),
    era: filterValuesSchema.optional(),
    country: filterValuesSchema.optional(),
    manufacturer: filterValuesSchema.optional(),
  })
  .transform((f) => canonicalFilters(f));

/** A settled search (not every keystroke), optionally with the result the visitor clicked. */
export const searchEventSchema = z
  .strictObject({
    type: z.literal('search'),
    id: eventIdSchema,
    ts: clientTimestampSchema,
    /** The query as typed; the collector normalises it (see `normaliseQuery`). Empty only when filters browse without one. */
    query: z.string().trim().max(BEACON_LIMITS.maxQueryLength),
    /** How many results the page showed for the query. */
    results: z.number().int().min(0).max(BEACON_LIMITS.maxResults),
    /** Slug of the result the visitor clicked, when the event reports a click. */
    clicked: slugSchema.optional(),
    /** The facet filters the search ran with, when any. */
    filters: searchFiltersSchema.optional(),
  })
  .refine((e) => e.query.length > 0 || hasFilters(e.filters), { message: 'a search needs a query or at least one filter', path: ['query'] });

export const beaconEventSchema = z.discriminatedUnion('type', [viewEventSchema, searchEventSchema, pageEventSchema]);

/** One beacon body. `v` is the contract version; a future v2 gets its own schema. */
export const beaconSchema = z.strictObject({
  v: z.literal(1),
  events: z.array(beaconEventSchema).min(1).max(BEACON_LIMITS.maxEvents),
});

export type ViewEvent = z.infer<typeof viewEventSchema>;
export type SearchEvent = z.infer<typeof searchEventSchema>;
export type PageEvent = z.infer<typeof pageEventSchema>;
export type BeaconEvent = z.infer<typeof beaconEventSchema>;
export type Beacon = z.infer<typeof beaconSchema>;

/**
 * The canonical form of a search query, used as the Kafka key and in popularity data:
 * Unicode NFKC, lower case, inner whitespace collapsed, trimmed.
 */
export function normaliseQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim().slice(0, BEACON_LIMITS.maxQueryLength);
}
