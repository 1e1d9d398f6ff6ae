import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { describe, expect, it } from 'vitest';
import { pagefindOffThread } from './pagefind-off-thread.ts';

const page = (name: string, words: string): string =>
  `<!doctype html><html lang="en"><head><title>${name}</title></head><body><article data-pagefind-body><h1 data-pagefind-meta="title">${name}</h1><p>${words}</p></article></body></html>`;
const pages = [
  { sourcePath: 'aircraft/a/index.html', content: page('Alpha', 'a twin-engined jet airliner') },
  { sourcePath: 'aircraft/b/index.html', content: page('Bravo', 'a single-engined trainer') },
  { sourcePath: 'aircraft/c/index.html', content: page('Charlie — Ça va', 'a flying boat — amphibian, 1,200 km range') },
];

/** Every file under `dir` with its bytes, by relative path. */
const files = (dir: string): Map<string, Buffer> =>
  new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [join(e.parentPath, e.name).slice(dir.length), readFileSync(join(e.parentPath, e.name))]),
  );

describe('pagefindOffThread', () => {
  it('writes the same index bytes as Pagefind indexing the same pages in the calling thread', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hangar-pagefind-thread-'));
    const threaded = await pagefindOffThread();
    for (const file of pages) expect((await threaded.index.addHTMLFile(file)).errors).toEqual([]);
    await threaded.write(join(out, 'thread'));
    // The build hands the rendered bytes (the thread decodes them); the caller's buffer stays its own.
    const fromBytes = await pagefindOffThread();
    for (const { sourcePath, content } of pages) {
      const bytes = Buffer.from(content, 'utf8');
      expect((await fromBytes.index.addHTMLFile({ sourcePath, content: bytes })).errors).toEqual([]);
      expect(bytes.toString('utf8')).toBe(content);
    }
    await fromBytes.write(join(out, 'bytes'));

    const { index } = await pagefind.createIndex({});
    if (!index) throw new Error('Pagefind did not start');
    for (const file of pages) await index.addHTMLFile(file);
    await index.writeFiles({ outputPath: join(out, 'direct') });
    await pagefind.close();

    const thread = files(join(out, 'thread'));
    expect([...thread.keys()].some((rel) => rel.startsWith('/fragment/'))).toBe(true);
    expect(thread).toEqual(files(join(out, 'direct')));
    expect(files(join(out, 'bytes'))).toEqual(thread);
  });

  it('answers adds and the write with an error once the thread is gone, instead of hanging the build', async () => {
    const threaded = await pagefindOffThread();
    await threaded.stop();
    expect((await threaded.index.addHTMLFile(pages[0] ?? { sourcePath: '', content: '' })).errors.join()).toMatch(/Pagefind thread exited/);
    await expect(threaded.write(mkdtempSync(join(tmpdir(), 'hangar-pagefind-thread-')))).rejects.toThrow(/Pagefind thread exited/);
  });
});
