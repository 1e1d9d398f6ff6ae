import { z } from 'zod';

/**
 * `hangarstack.system.events`: what operators need to reconstruct an incident. The collector,
 * the consumer, the rebuilder and `./hangar data publish` emit these; `./hangar events` prints
 * them. Never visitor data, never a secret (config summaries go through `summariseConfig`).
 */

export const SYSTEM_EVENT_SCHEMA_VERSION = 1;

export const systemServiceSchema = z.enum(['collector', 'consumer', 'rebuilder', 'data-publisher']);
export type SystemService = z.infer<typeof systemServiceSchema>;

const text = z.string().max(2_000);
const count = z.number().int().nonnegative();

/** A flat config summary: dotted keys, scalar values, secrets already redacted. */
export const configSummarySchema = z.record(z.string().max(100), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]));

/** Each event type with its detail; the union below adds the common envelope. */
export const systemEventDetails = {
  started: z.strictObject({ version: z.string().max(100), mode: z.enum(['kafka', 'embedded']), config: configSummarySchema }),
  stopping: z.strictObject({ reason: text }),
  'kafka.lost': z.strictObject({ error: text }),
  'kafka.restored': z.strictObject({ downMs: count }),
  'spool.engaged': z.strictObject({ depth: count }),
  'spool.drained': z.strictObject({ spooledMs: count }),
  'rebuild.requested': z.strictObject({ hook: text, reason: text }),
  'rebuild.succeeded': z.strictObject({ durationMs: count }),
  'rebuild.failed': z.strictObject({ durationMs: count, error: text }),
  'rebuild.rolled-back': z.strictObject({ to: text }),
  'batch.dead-lettered': z.strictObject({ topic: text, partition: count, records: count, reason: text }),
  /** A consumer member's state write was refused: another member claimed the partition (it had been frozen or cut off), or its last transaction did not end (an outage); it waits to be assigned the partition again. */
  'partition.fenced': z.strictObject({ topic: text, partition: count, records: count, reason: text }),
  'data.published': z.strictObject({ changes: count, aircraft: count, manufacturers: count }),
} as const;

export type SystemEventType = keyof typeof systemEventDetails;
export type SystemEventDetail<T extends SystemEventType> = z.infer<(typeof systemEventDetails)[T]>;

/** How loud each type is when printed (and logged). */
export const SYSTEM_EVENT_LEVELS: Record<SystemEventType, 'info' | 'warn' | 'error'> = {
  started: 'info',
  stopping: 'info',
  'kafka.lost': 'error',
  'kafka.restored': 'info',
  'spool.engaged': 'warn',
  'spool.drained': 'info',
  'rebuild.requested': 'info',
  'rebuild.succeeded': 'info',
  'rebuild.failed': 'error',
  'rebuild.rolled-back': 'warn',
  'batch.dead-lettered': 'error',
  'partition.fenced': 'warn',
  'data.published': 'info',
};

const envelope = {
  schema: z.literal(SYSTEM_EVENT_SCHEMA_VERSION),
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** Epoch ms on the emitting host. */
  at: z.number().int().nonnegative(),
  service: systemServiceSchema,
  /** Which process (host and pid): tells two replicas apart, says nothing about visitors. */
  instance: z.string().min(1).max(200),
};

const variants = Object.entries(systemEventDetails).map(([type, detail]) =>
  z.strictObject({ ...envelope, type: z.literal(type as SystemEventType), detail }),
);

export const systemEventSchema = z.discriminatedUnion('type', variants as unknown as [
  z.ZodObject<typeof envelope & { type: z.ZodLiteral<SystemEventType>; detail: z.ZodType }>,
  ...z.ZodObject<typeof envelope & { type: z.ZodLiteral<SystemEventType>; detail: z.ZodType }>[],
]);

export type SystemEvent = {
  [T in SystemEventType]: { schema: 1; id: string; at: number; service: SystemService; instance: string; type: T; detail: SystemEventDetail<T> };
}[SystemEventType];

const SECRET_KEY = /pass(word)?|secret|token|credential|^sasl$|authorization|api.?key|headers?$/i;

/**
 * A typed config as a flat, printable summary with every secret-looking key redacted: what the
 * `started` event carries, so an operator sees how a process was configured without a credential
 * ever reaching the topic.
 */
export function summariseConfig(config: object, prefix = ''): z.infer<typeof configSummarySchema> {
  const out: z.infer<typeof configSummarySchema> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = prefix + key;
    if (SECRET_KEY.test(key)) {
      out[name] = value === undefined || value === null ? null : '[redacted]';
    } else if (value === null || value === undefined) {
      out[name] = null;
    } else if (Array.isArray(value)) {
      out[name] = value.map(String).join(',').slice(0, 500);
    } else if (typeof value === 'object') {
      Object.assign(out, summariseConfig(value as object, `${name}.`));
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out[name] = value;
    } else {
      out[name] = withoutUrlSecrets(String(value)).slice(0, 500);
    }
  }
  return out;
}

/** Deploy hooks carry their secret in the URL path or query: keep only the origin of any URL. */
function withoutUrlSecrets(value: string): string {
  return value.replace(/\bhttps?:\/\/[^\s,]+/g, (url) => {
    try {
      const parsed = new URL(url);
      return parsed.pathname === '/' && parsed.search === '' ? parsed.origin : `${parsed.origin}/…`;
    } catch {
      return '[url]';
    }
  });
}

/** One readable line per event: `2026-11-30 09:12:03Z  consumer   ERROR rebuild.failed  error="…" durationMs=3200`. */
export function formatSystemEvent(event: SystemEvent): string {
  const at = new Date(event.at).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  const level = SYSTEM_EVENT_LEVELS[event.type].toUpperCase().padEnd(5);
  const detail = Object.entries(event.detail as Record<string, unknown>)
    .map(([k, v]) => (k === 'config' ? `config={${Object.entries(v as object).map(([ck, cv]) => `${ck}=${String(cv)}`).join(' ')}}` : `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`))
    .join(' ');
  return `${at}  ${event.service.padEnd(14)} ${level} ${event.type.padEnd(19)} ${detail}  [${event.instance}]`;
}
