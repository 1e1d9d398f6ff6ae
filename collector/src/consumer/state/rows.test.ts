import { describe, expect, it } from 'vitest';
import { latestByKey, parseRowKey, rowKey, type StateRow } from './rows.ts';

const row = (kind: StateRow['kind'], bucket: number, item: string, value: number | null): StateRow => ({ partition: 'views:0', kind, bucket, item, value: value === null ? null : Uint8Array.of(value) });

describe('latestByKey', () => {
  it('keeps the last version of each key, in the order of those last versions (what compaction leaves)', () => {
    const log = [row('slugs', 0, '0', 1), row('views', 10, '', 1), row('seen', 10, '5', 1), row('views', 10, '', 2), row('offset', 0, '', 1), row('views', 11, '', 1), row('seen', 10, '5', null), row('offset', 0, '', 2)];
    expect(latestByKey(log, rowKey)).toEqual([row('slugs', 0, '0', 1), row('views', 10, '', 2), row('views', 11, '', 1), row('seen', 10, '5', null), row('offset', 0, '', 2)]);
  });

  it('leaves out records without a key, and keeps a log without repeats as it is', () => {
    const log = [row('views', 1, '', 1), row('views', 2, '', 1)];
    expect(latestByKey([...log, row('views', 3, '', 1)], (r) => (r.bucket === 3 ? null : rowKey(r)))).toEqual(log);
    expect(latestByKey(log, rowKey)).toEqual(log);
    expect(latestByKey([], rowKey)).toEqual([]);
  });
});

describe('row keys', () => {
  it('parse back to the row they name, and refuse anything else', () => {
    const r = row('viewdays', 20_000, '', 1);
    expect(parseRowKey(rowKey(r))).toEqual({ partition: 'views:0', kind: 'viewdays', bucket: 20_000, item: '' });
    expect(parseRowKey('views:0|nonsense|1|')).toBeNull();
    expect(parseRowKey('views:0|views|x|')).toBeNull();
    expect(parseRowKey('views:0|views|1')).toBeNull();
  });
});
