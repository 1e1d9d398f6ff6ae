import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { EmbeddedLog } from './embedded-log.ts';

const tempPath = (): string => join(tempDir('embedded-log-'), 'events.db');

describe('EmbeddedLog', () => {
  it('reads back appended records per topic, in order, from an offset', () => {
    const log = EmbeddedLog.open(':memory:');
    const offsets = log.append([
      { topic: 'a', key: 'k1', value: '1' },
      { topic: 'b', key: 'k2', value: '2' },
      { topic: 'a', key: 'k3', value: '3' },
    ]);
    expect(offsets).toEqual([1, 2, 3]);
    expect(log.read('a', 0, 10).map((r) => r.value)).toEqual(['1', '3']);
    expect(log.read('a', 2, 10).map((r) => r.value)).toEqual(['3']);
    expect(log.read('a', 0, 1)).toHaveLength(1);
    expect(log.endOffset('a')).toBe(4);
    expect(log.endOffset('missing')).toBe(0);
    log.close();
  });

  it('keeps what was appended across a reopen, and a second process-like reader sees it', () => {
    const path = tempPath();
    const writer = EmbeddedLog.open(path);
    writer.append([{ topic: 't', key: 'k', value: 'durable' }]);
    const reader = EmbeddedLog.open(path);
    expect(reader.read('t', 0, 10).map((r) => r.value)).toEqual(['durable']);
    writer.close();
    reader.close();
    const reopened = EmbeddedLog.open(path);
    expect(reopened.read('t', 0, 10)).toHaveLength(1);
    reopened.close();
  });

  it('writes nothing of a batch that fails part-way', () => {
    const log = EmbeddedLog.open(':memory:');
    const bad = { topic: 't', key: 'k', value: null as unknown as string };
    expect(() => log.append([{ topic: 't', key: 'k', value: 'ok' }, bad])).toThrow();
    expect(log.read('t', 0, 10)).toEqual([]);
    log.close();
  });

  it('truncates only what the reader has passed and what is older than the retention', () => {
    const log = EmbeddedLog.open(':memory:');
    const DAY = 86_400_000;
    const now = Date.UTC(2026, 10, 30);
    const at = (daysAgo: number) => ({ topic: 't', key: 'k', value: JSON.stringify({ receivedAt: now - daysAgo * DAY }) });
    // Offsets 1–6 received 20, 18, 16, 10, 2 and 0 days ago; another topic in between.
    log.append([at(20), at(18), at(16)]);
    log.append([{ topic: 'other', key: 'k', value: JSON.stringify({ receivedAt: now - 15 * DAY }) }]);
    log.append([at(10), at(2), at(0)]);
    // The reader has passed offset 2 only: nothing it has not read goes, however old.
    expect(log.truncate('t', 2, 14 * DAY, now)).toBe(1);
    expect(log.read('t', 0, 10).map((r) => r.offset)).toEqual([2, 3, 5, 6, 7]);
    // Passed everything: the records past 14 days go, the recent ones and other topics stay.
    expect(log.truncate('t', 8, 14 * DAY, now)).toBe(2);
    expect(log.read('t', 0, 10).map((r) => r.offset)).toEqual([5, 6, 7]);
    expect(log.read('other', 0, 10)).toHaveLength(1);
    log.close();
  });
});
