import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { contentHash } from '../../scripts/file-hashes.ts';
import { pageWriterOffThread } from './page-writer.ts';

const page = (i: number): Buffer => Buffer.from(`<!doctype html><title>page ${i}</title>${'x'.repeat(i % 97)}`);

describe('pageWriterOffThread', () => {
  it('writes every page to its path, making the directories, and moves each Buffer it owns to the thread', async () => {
    const out = tempDir('hangar-page-writer-');
    const writer = pageWriterOffThread();
    const owned = Buffer.from(new TextEncoder().encode('{"slug":"a0"}').buffer);
    // Past the queue limit, so renders are held back and resumed on the way.
    const count = 1_200;
    await writer.write(join(out, 'aircraft', 'a0.json'), owned);
    for (let i = 0; i < count; i++) await writer.write(join(out, 'aircraft', `a${i}`, 'index.html'), page(i));
    const hashes = await writer.finish();
    expect(owned.buffer.byteLength).toBe(0);
    expect(readFileSync(join(out, 'aircraft', 'a0.json'), 'utf8')).toBe('{"slug":"a0"}');
    for (let i = 0; i < count; i++) expect(readFileSync(join(out, 'aircraft', `a${i}`, 'index.html'))).toEqual(page(i));
    // Each file's hash for the deploy manifest, made by the thread from the bytes it wrote.
    expect(hashes.size).toBe(count + 1);
    expect(hashes.get(join(out, 'aircraft', 'a0.json'))).toBe(contentHash(Buffer.from('{"slug":"a0"}')));
    for (let i = 0; i < count; i++) expect(hashes.get(join(out, 'aircraft', `a${i}`, 'index.html'))).toBe(contentHash(page(i)));
  });

  it('drained() waits for the pages queued so far, and the thread takes more after it', async () => {
    const out = tempDir('hangar-page-writer-');
    const writer = pageWriterOffThread();
    for (let i = 0; i < 100; i++) await writer.write(join(out, `p${i}`, 'index.html'), page(i));
    await writer.drained();
    for (let i = 0; i < 100; i++) expect(readFileSync(join(out, `p${i}`, 'index.html'))).toEqual(page(i));
    await writer.write(join(out, 'last.json'), page(100));
    const hashes = await writer.finish();
    expect(hashes.size).toBe(101);
    expect(readFileSync(join(out, 'last.json'))).toEqual(page(100));
  });

  it('copies a Buffer that shares its memory, leaving the caller’s bytes intact', async () => {
    const out = tempDir('hangar-page-writer-');
    const writer = pageWriterOffThread();
    const slab = Buffer.from('..one..two..');
    await writer.write(join(out, 'one.html'), slab.subarray(2, 5));
    await writer.finish();
    expect(slab.toString()).toBe('..one..two..');
    expect(readFileSync(join(out, 'one.html'), 'utf8')).toBe('one');
  });

  it('fails the writes after a page it could not write, and finish() names that file', async () => {
    const out = tempDir('hangar-page-writer-');
    writeFileSync(join(out, 'aircraft'), 'a file where a directory should be');
    const writer = pageWriterOffThread();
    await writer.write(join(out, 'aircraft', 'a', 'index.html'), page(1));
    await expect(writer.finish()).rejects.toThrow(/could not write a page: .*aircraft\/a\/index\.html/);
    await expect(writer.write(join(out, 'b.html'), page(2))).rejects.toThrow(/could not write a page/);
  });
});
