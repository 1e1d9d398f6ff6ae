import type { ActivityRecord, EventRecord, SearchFilters } from '@hangarstack/shared';

export const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let n = 0;
const id = (): string => `test-event-${(n++).toString().padStart(10, '0')}`;
const hex = (v: string): string => v.padStart(32, '0').slice(-32);

/** `who` is the visitor; `from` its origin (client network), by default its own. */
export function viewAt(aircraft: string, who: string, at: number, eventId = id(), from = who): EventRecord {
  return { schema: 2, id: eventId, type: 'view', aircraft, clientTs: at, receivedAt: at, visitor: hex(who), origin: hex(`f${from}`), device: 'desktop' };
}

export function searchAt(
  query: string,
  who: string,
  at: number,
  extra: { results?: number; clicked?: string | null; from?: string; filters?: SearchFilters } = {},
): EventRecord {
  return {
    ...(extra.filters ? { filters: extra.filters } : {}),
    schema: 2,
    id: id(),
    type: 'search',
    query,
    results: extra.results ?? 3,
    clicked: extra.clicked ?? null,
    clientTs: at,
    receivedAt: at,
    visitor: hex(who),
    origin: hex(`f${extra.from ?? who}`),
    device: 'mobile',
  };
}

/** A user activity record: `page` kind, optional aircraft, referrer host and entry flag; `from` the origin. */
export function activityAt(
  who: string,
  at: number,
  extra: { page?: ActivityRecord['page']; aircraft?: string | null; ref?: string | null; entry?: boolean; from?: string } = {},
): ActivityRecord {
  return {
    schema: 2,
    id: id(),
    type: 'activity',
    page: extra.page ?? 'home',
    aircraft: extra.aircraft ?? null,
    ref: extra.ref ?? null,
    entry: extra.entry ?? false,
    clientTs: at,
    receivedAt: at,
    visitor: hex(who),
    origin: hex(`f${extra.from ?? who}`),
    device: 'desktop',
  };
}
