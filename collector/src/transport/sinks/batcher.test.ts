import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';
import { SinkUnavailableError, type LogRecord } from './types.ts';

const rec = (i: number): LogRecord => ({ topic: 't', key: 'k', value: String(i) });

describe('Batcher', () => {
  it('groups concurrent adds into batches of at most maxRecords, in order', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher(async (records) => void batches.push(records.map((r) => r.value)), { lingerMs: 5, maxRecords: 4, maxPending: 100 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.add([rec(i)])));
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(4);
    expect(batches.length).toBeLessThan(10);
  });

  it('rejects every caller of a failed flush', async () => {
    const batcher = new Batcher(async () => Promise.reject(new Error('down')), { lingerMs: 1, maxRecords: 10, maxPending: 100 });
    const results = await Promise.allSettled([batcher.add([rec(1)]), batcher.add([rec(2)])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('applies back-pressure past maxPending', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    const batcher = new Batcher(() => gate, { lingerMs: 0, maxRecords: 2, maxPending: 3 });
    const first = batcher.add([rec(1), rec(2)]);
    await new Promise((done) => setTimeout(done, 5));
    const second = batcher.add([rec(3), rec(4)]);
    await expect(batcher.add([rec(5), rec(6)])).rejects.toBeInstanceOf(SinkUnavailableError);
    release();
    await Promise.all([first, second]);
    expect(batcher.pending).toBe(0);
  });
});
