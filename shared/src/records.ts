import { z } from 'zod';
import { eventIdSchema, BEACON_LIMITS } from './events.ts';
import { slugSchema } from './slug.ts';

/**
 * What the collector writes to Kafka (and to the embedded log): a validated beacon event,
 * enriched on the server. Never a raw IP address or user agent: `visitor` is a salted hash that
 * cannot be linked across days, `device` a coarse class.
 */

export const RECORD_SCHEMA_VERSION = 1;

export const deviceClassSchema = z.enum(['mobile', 'tablet', 'desktop', 'other']);

/** 32 hex characters: the first 128 bits of SHA-256(daily salt, IP, user agent, site). */
export const visitorIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex characters');

const enrichment = {
  schema: z.literal(RECORD_SCHEMA_VERSION),
  id: eventIdSchema,
  /** Client clock (epoch ms), as sent. */
  clientTs: z.number().int().nonnegative(),
  /** Server receive time (epoch ms): the event time used for windows. */
  receivedAt: z.number().int().nonnegative(),
  visitor: visitorIdSchema,
  device: deviceClassSchema,
};

export const viewRecordSchema = z.strictObject({
  ...enrichment,
  type: z.literal('view'),
  aircraft: slugSchema,
});

export const searchRecordSchema = z.strictObject({
  ...enrichment,
  type: z.literal('search'),
  /** Normalised query (see `normaliseQuery`); also the Kafka key. */
  query: z.string().min(1).max(BEACON_LIMITS.maxQueryLength),
  results: z.number().int().min(0).max(BEACON_LIMITS.maxResults),
  clicked: slugSchema.nullable(),
});

export const eventRecordSchema = z.discriminatedUnion('type', [viewRecordSchema, searchRecordSchema]);

export type DeviceClass = z.infer<typeof deviceClassSchema>;
export type ViewRecord = z.infer<typeof viewRecordSchema>;
export type SearchRecord = z.infer<typeof searchRecordSchema>;
export type EventRecord = z.infer<typeof eventRecordSchema>;
