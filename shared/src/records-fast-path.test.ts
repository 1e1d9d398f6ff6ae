import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { RECORD_SCHEMA_VERSION, asViewRecord, parseStoredRecord, storedRecordSchema, viewRecordSchema } from './records.ts';
import { VISITOR_HASH_LENGTH, newViewFields, readViewFields, viewRecordFromBytes } from './view-record-bytes.ts';


const next = seededRandom(14);
const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
const chars = (alphabet: string, length: number) => Array.from({ length }, () => pick([...alphabet])).join('');
const HEX = '0123456789abcdef';
const ID = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

const valid = () => ({
  schema: RECORD_SCHEMA_VERSION,
  id: chars(ID, 16 + Math.floor(next() * 49)),
  clientTs: Math.floor(next() * 2e12),
  receivedAt: Math.floor(next() * 2e12),
  visitor: chars(HEX, 32),
  device: pick(['mobile', 'tablet', 'desktop', 'other']),
  origin: chars(HEX, 32),
  type: 'view',
  aircraft: pick(['concorde', 'boeing-747-400', 'a', 'f-16', `${'a'.repeat(79)}`, `${'a1-'.repeat(26)}b9`]),
});

/** Values near and past each field's bounds, and of the wrong type. */
const odd: readonly unknown[] = [
  null, true, 0, -0, -1, 1.5, 2 ** 53 - 1, 2 ** 53, 1e300, -1e-7, '', ' ', '0', [], {}, [1], { a: 1 },
  'view', 'search', 'activity', 'View', 1, 2, 3, '2',
  'a'.repeat(15), 'a'.repeat(16), 'a'.repeat(64), 'a'.repeat(65), 'abcdefghijklmno!', 'abcdefghijklmnop\n',
  '0123456789abcdef0123456789abcdef', '0123456789ABCDEF0123456789abcdef', '0123456789abcdef0123456789abcde', '0123456789abcdef0123456789abcdefa', '0123456789abcdef0123456789abcdeg',
  'mobile', 'tablet', 'desktop', 'other', 'toaster', 'Mobile',
  'concorde', 'boeing-747', '-a', 'a-', 'a--b', 'A', 'a_b', 'a'.repeat(80), 'a'.repeat(81), 'ä',
];
const FIELDS = ['schema', 'id', 'clientTs', 'receivedAt', 'visitor', 'device', 'origin', 'type', 'aircraft'];

/** A valid record with 1–3 changes: a field set to an odd value, removed, or an extra key. */
function mutated(): string {
  const record: Record<string, unknown> = valid();
  const extra: string[] = [];
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const change = next();
    if (change < 0.7) record[pick(FIELDS)] = pick(odd);
    else if (change < 0.85) Reflect.deleteProperty(record, pick(FIELDS));
    else if (change < 0.95) record[pick(['ip', 'userAgent', 'query', 'page', 'entry', 'x', ''])] = pick(odd);
    else extra.push('"__proto__":{}');
  }
  const json = JSON.stringify(record);
  return extra.length > 0 ? `{${[...extra, json.slice(1, -1)].filter(Boolean).join(',')}}` : json;
}

describe('asViewRecord (the consumer fast path) accepts exactly what viewRecordSchema accepts', () => {
  it('agrees with the schema on valid records and on 20,000 records with one to three changes', () => {
    let accepted = 0;
    let rejected = 0;
    let fromBytesAccepted = 0;
    for (let i = 0; i < 22_000; i++) {
      const text = i < 2_000 ? JSON.stringify(valid()) : mutated();
      const fast = asViewRecord(JSON.parse(text));
      const schema = viewRecordSchema.safeParse(JSON.parse(text));
      expect({ text, accepted: fast !== null }).toEqual({ text, accepted: schema.success });
      if (fast) expect(fast).toEqual(schema.data);
      // Straight from the bytes: JSON.stringify's own output is taken whole, never a record the schema refuses.
      const fromBytes = viewRecordFromBytes(Buffer.from(text));
      if (schema.success) expect({ text, fromBytes }).toEqual({ text, fromBytes: schema.data });
      else expect({ text, fromBytes }).toEqual({ text, fromBytes: null });
      if (fromBytes) fromBytesAccepted++;
      // What the consumer reads (the fast path, else zod) equals what the schemas alone give.
      const stored = storedRecordSchema.safeParse(JSON.parse(text));
      expect(parseStoredRecord(text)).toEqual(stored.success ? stored.data : null);
      if (fast) accepted++;
      else rejected++;
    }
    // Both sides were exercised, not one of them only.
    expect(accepted).toBeGreaterThan(2_000);
    expect(rejected).toBeGreaterThan(15_000);
    expect(fromBytesAccepted).toBe(accepted);
  });

  it('reads a view record from its bytes in any key order, and leaves what it does not take to the schemas', () => {
    const record = { schema: 2, id: 'abcdefghijklmnop', clientTs: 0, receivedAt: 1_700_000_000_000, visitor: 'a'.repeat(32), device: 'other', origin: 'b'.repeat(32), type: 'view', aircraft: 'boeing-747-400' };
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(viewRecordFromBytes(Buffer.from(JSON.stringify(reordered)))).toEqual(record);
    // Without the strings: where the id, visitor and origin lie in the bytes (the consumer hashes them there).
    const bytes = Buffer.from(JSON.stringify(reordered));
    const fields = newViewFields();
    expect(readViewFields(bytes, fields)).toBe(true);
    expect({ aircraft: fields.aircraft, clientTs: fields.clientTs, receivedAt: fields.receivedAt, device: fields.device }).toEqual({ aircraft: record.aircraft, clientTs: 0, receivedAt: record.receivedAt, device: 'other' });
    expect([fields.idStart, fields.idEnd, fields.visitorStart, fields.originStart].map((at) => bytes.toString('latin1', at, at + 1))).toEqual(['a', '"', 'a', 'b']);
    expect([bytes.toString('latin1', fields.idStart, fields.idEnd), bytes.toString('latin1', fields.visitorStart, fields.visitorStart + VISITOR_HASH_LENGTH), bytes.toString('latin1', fields.originStart, fields.originStart + VISITOR_HASH_LENGTH)]).toEqual([record.id, record.visitor, record.origin]);
    expect(readViewFields(Buffer.from(JSON.stringify(record, null, 1)), fields)).toBe(false);
    // Valid records it does not take (whitespace, an escape, a duplicate key): null, and the schemas take them.
    for (const text of [JSON.stringify(record, null, 1), JSON.stringify(record).replace('"view"', '"\\u0076iew"'), JSON.stringify(record).replace('{', '{"schema":2,')]) {
      expect(viewRecordFromBytes(Buffer.from(text))).toBeNull();
      expect(parseStoredRecord(text)).toEqual(record);
    }
    for (const text of ['', '{}', '{"schema":2}', `${JSON.stringify(record)} `, JSON.stringify({ ...record, clientTs: 2 ** 53 }), JSON.stringify({ ...record, receivedAt: 1.5 })]) expect(viewRecordFromBytes(Buffer.from(text))).toBeNull();
  });
});
