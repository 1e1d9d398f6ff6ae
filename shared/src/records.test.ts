import { describe, expect, it } from 'vitest';
import { RECORD_SCHEMA_VERSION, eventRecordSchema, parseStoredRecord } from './records.ts';

const common = {
  schema: RECORD_SCHEMA_VERSION,
  id: 'abcdefghijklmnop',
  clientTs: 1_790_000_000_000,
  receivedAt: 1_790_000_000_100,
  visitor: '0123456789abcdef0123456789abcdef',
  origin: 'fedcba9876543210fedcba9876543210',
  device: 'desktop',
} as const;
const withoutOrigin = Object.fromEntries(Object.entries(common).filter(([key]) => key !== 'origin'));

describe('eventRecordSchema', () => {
  it('accepts an enriched view and search (clicked is null when nothing was clicked)', () => {
    expect(eventRecordSchema.parse({ ...common, type: 'view', aircraft: 'concorde' }).type).toBe('view');
    expect(eventRecordSchema.parse({ ...common, type: 'search', query: 'mach 2', results: 3, clicked: null }).type).toBe('search');
  });

  it('accepts a search with filters, and without a query only when it has filters', () => {
    const filtered = { ...common, type: 'search', query: '', results: 12, clicked: null, filters: { era: ['1950s'], role: ['fighter'] } } as const;
    expect(eventRecordSchema.parse(filtered)).toMatchObject({ filters: { era: ['1950s'], role: ['fighter'] } });
    expect(eventRecordSchema.safeParse({ ...filtered, filters: undefined }).success).toBe(false);
    expect(eventRecordSchema.safeParse({ ...filtered, filters: { colour: ['red'] } }).success).toBe(false);
  });

  it.each([
    ['a raw IP field', { ...common, type: 'view', aircraft: 'concorde', ip: '203.0.113.9' }],
    ['a raw user agent field', { ...common, type: 'view', aircraft: 'concorde', userAgent: 'Mozilla/5.0' }],
    ['a visitor that is not a 128-bit hex hash', { ...common, visitor: '203.0.113.9', type: 'view', aircraft: 'concorde' }],
    ['an origin that is a raw address', { ...common, origin: '203.0.113.9', type: 'view', aircraft: 'concorde' }],
    ['a missing origin', { ...withoutOrigin, type: 'view', aircraft: 'concorde' }],
    ['another schema version', { ...common, schema: 3, type: 'view', aircraft: 'concorde' }],
    ['an unknown device class', { ...common, device: 'toaster', type: 'view', aircraft: 'concorde' }],
    ['a missing clicked on a search', { ...common, type: 'search', query: 'mach 2', results: 3 }],
  ])('rejects %s', (_name, input) => {
    expect(eventRecordSchema.safeParse(input).success).toBe(false);
  });
});

describe('parseStoredRecord', () => {
  it('reads current records as they are', () => {
    expect(parseStoredRecord(JSON.stringify({ ...common, type: 'view', aircraft: 'concorde' }))).toMatchObject({ origin: common.origin });
  });

  it('upgrades a version 1 record (no origin) with the visitor as its own origin', () => {
    const v1 = { ...withoutOrigin, schema: 1, type: 'view', aircraft: 'concorde' };
    expect(parseStoredRecord(JSON.stringify(v1))).toEqual({ ...v1, schema: RECORD_SCHEMA_VERSION, origin: common.visitor });
    const v1Search = { ...withoutOrigin, schema: 1, type: 'search', query: 'mach 2', results: 3, clicked: null };
    expect(parseStoredRecord(JSON.stringify(v1Search))).toEqual({ ...v1Search, schema: RECORD_SCHEMA_VERSION, origin: common.visitor });
    expect(parseStoredRecord(JSON.stringify({ ...v1Search, origin: common.origin }))).toBeNull();
  });

  it.each([['not JSON', '{'], ['null', null], ['a version 1 record with a raw IP', JSON.stringify({ ...withoutOrigin, schema: 1, type: 'view', aircraft: 'concorde', ip: '1.2.3.4' })]])(
    'returns null for %s',
    (_name, value) => {
      expect(parseStoredRecord(value)).toBeNull();
    },
  );
});
