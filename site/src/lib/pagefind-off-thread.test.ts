import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { describe, expect, it } from 'vitest';
import { pagefindOffThread, startingPagefind, type OffThreadPagefind } from './pagefind-off-thread.ts';
import type { PageIndex } from './search-indexer.ts';

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

describe('startingPagefind', () => {
  /** A thread stand-in that records what each add was handed. */
  const recording = () => {
    const added: (string | Uint8Array)[] = [];
    const index: PageIndex = { addHTMLFile: async ({ content }) => (added.push(content), { errors: [] }) };
    const pagefind: OffThreadPagefind = { index, write: async () => undefined, stop: async () => undefined };
    return { pagefind, added };
  };

  it("keeps its own copy of a page's bytes while the thread starts, since the render hands its buffer to the page writer next", async () => {
    const { pagefind, added } = recording();
    let start: (pagefind: OffThreadPagefind) => void = () => undefined;
    const index = startingPagefind(new Promise((resolve) => (start = resolve))).index;
    const early = Buffer.from(new TextEncoder().encode(pages[0]?.content).buffer);
    const adding = index.addHTMLFile({ sourcePath: 'aircraft/a/index.html', content: early });
    // What the page writer's post does to the render's buffer (page-writer.ts).
    structuredClone(early.buffer, { transfer: [early.buffer] });
    expect(early.byteLength).toBe(0);
    start(pagefind);
    expect((await adding).errors).toEqual([]);
    expect(added.map((c) => Buffer.from(c as Uint8Array).toString('utf8'))).toEqual([pages[0]?.content]);
    // Once the thread is ready, the bytes go straight to it (it copies them itself), in order.
    const late = Buffer.from(pages[1]?.content ?? '');
    await index.addHTMLFile({ sourcePath: 'aircraft/b/index.html', content: late });
    expect(added[1]).toBe(late);
  });

  it('answers every add with the errors of a thread that could not start, and fails the write', async () => {
    const index = startingPagefind(Promise.reject(new Error('Pagefind could not start: no binary')));
    expect((await index.index.addHTMLFile({ sourcePath: 'aircraft/a/index.html', content: Buffer.from('x') })).errors).toEqual(['Pagefind could not start: no binary']);
    await expect(index.write(mkdtempSync(join(tmpdir(), 'hangar-pagefind-thread-')))).rejects.toThrow('no binary');
  });
});
