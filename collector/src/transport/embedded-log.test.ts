import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedLog } from './embedded-log.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-log-'));
  dirs.push(dir);
  return join(dir, 'events.db');
};

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
});
