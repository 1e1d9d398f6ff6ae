import { describe, expect, it } from 'vitest';
import { readSheetBatch, sheetBatch } from './sheet-batch.ts';

const sheets = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ slug: `aircraft-${i}`, json: JSON.stringify({ slug: `aircraft-${i}`, name: `Łoś ${i}\twith\na tab, a newline and ✈`, rows: { n: i } }) }));

/** Every chunk of `stream`, cut again at the given sizes (a reader sees any chunking). */
async function* rechunked(stream: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const all = Buffer.concat(chunks);
  for (let at = 0; at < all.length; at += size) yield new Uint8Array(all.subarray(at, at + size));
}

const readAll = async (body: AsyncIterable<Uint8Array>) => {
  const out: { slug: string; text: string; owns: boolean }[] = [];
  for await (const { slug, bytes } of readSheetBatch(body)) out.push({ slug, text: bytes.toString('utf8'), owns: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength });
  return out;
};

describe('sheetBatch and readSheetBatch', () => {
  it('give back every sheet byte for byte, in order, however the stream is cut (multi-byte characters split too)', async () => {
    const items = sheets(300);
    for (const size of [1, 7, 1000, 1 << 20]) {
      const read = await readAll(rechunked(sheetBatch(items, (s) => [s.slug, s.json]), size));
      expect(read.map((r) => r.slug)).toEqual(items.map((s) => s.slug));
      expect(read.map((r) => r.text)).toEqual(items.map((s) => s.json));
      // The page writer moves a Buffer that owns its memory instead of copying it.
      expect(read.every((r) => r.owns)).toBe(true);
    }
  });

  it('makes sheets only as they are read', async () => {
    let made = 0;
    const stream = sheetBatch(sheets(1000), (s) => {
      made += 1;
      return [s.slug, s.json];
    });
    const reader = stream.getReader();
    expect(made).toBe(0);
    await reader.read();
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(1000);
    await reader.cancel();
  });

  it('gives an empty batch for no sheets', async () => {
    expect(await readAll(sheetBatch([], () => ['x', '{}']))).toEqual([]);
  });

  it('refuses a slug that could not name a file, and a batch cut inside a sheet', async () => {
    await expect(readAll(sheetBatch([{ slug: '../etc', json: '{}' }], (s) => [s.slug, s.json]))).rejects.toThrow(/not a kebab-case slug/);
    const bytes = (text: string) => (async function* () {
      yield new TextEncoder().encode(text);
    })();
    await expect(readAll(bytes('a-1\t{}\n../x\t{}\n'))).rejects.toThrow(/without a kebab-case slug/);
    await expect(readAll(bytes('a-1\t{}\nno-tab-here\n'))).rejects.toThrow(/without a kebab-case slug/);
    await expect(readAll(bytes('a-1\t{}\na-2\t{"cut'))).rejects.toThrow(/ended inside a sheet/);
  });
});
