import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageWriterOffThread } from './page-writer.ts';
import { indexBuiltPages, isIndexedPath, pagesIndex, SearchIndexer, type PageIndex } from './search-indexer.ts';

/** A Pagefind index that records what it was given, in order, answering after a delay. */
function recordingIndex(errorFor?: string) {
  const added: { sourcePath: string; content: string }[] = [];
  const index = {
    addHTMLFile: async (file: { sourcePath?: string; content: string }) => {
      added.push({ sourcePath: file.sourcePath ?? '', content: file.content });
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { errors: file.sourcePath?.includes(errorFor ?? '\0') ? ['bad page'] : [], file: { uniqueWords: 1, url: '', meta: {} } };
    },
  } as unknown as PageIndex;
  return { index, added };
}

/** Generate order; the index order is by path ('/aircraft/a-b/' sorts before '/aircraft/a/'). */
const plan = ['/', '/aircraft/a/', '/aircraft/a-b/', '/role/fighter/', '/aircraft/c/', '/type/b738/', '/aircraft/d/'];
const indexed = ['/aircraft/a-b/', '/aircraft/a/', '/aircraft/c/', '/aircraft/d/', '/type/b738/'];

/** A client dir holding every indexed page as `disk <path>`. */
function builtPages(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-search-indexer-'));
  for (const path of indexed) {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'index.html'), `disk ${path}`);
  }
  return dir;
}

describe('SearchIndexer', () => {
  it('indexes only aircraft pages and type entries', () => {
    expect(plan.filter(isIndexedPath)).toEqual(['/aircraft/a/', '/aircraft/a-b/', '/aircraft/c/', '/type/b738/', '/aircraft/d/']);
    expect(isIndexedPath('/aircraft/a.json')).toBe(false);
  });

  it('adds pages in path order while they render, whatever order they render and finish in', async () => {
    const { index, added } = recordingIndex();
    const feed = new SearchIndexer(index);
    feed.plan(plan);
    for (const path of plan) feed.started(path);
    // Eight renders in flight finish out of order.
    for (const path of [...plan].reverse()) await feed.rendered(path, `html ${path}`);
    expect(added.map((a) => a.sourcePath)).toEqual(indexed.map((p) => `${p.slice(1)}index.html`));
    expect(await feed.finish(builtPages())).toBe(indexed.length);
    expect(added.map((a) => a.content)).toEqual(indexed.map((p) => `html ${p}`));
  });

  it("hands Pagefind only the indexed part of each page: the feed hands whole pages, pagesIndex cuts them down for Pagefind's client", async () => {
    const page = '<!doctype html><html lang="en"><head><title>A</title><style>h1{color:red}</style></head><body><header>Menu</header><article data-pagefind-body><h1>A</h1></article><footer>Links</footer></body></html>';
    const part = '<!doctype html><html lang="en"><head><title>A</title></head><body><article data-pagefind-body><h1>A</h1></article></body></html>';
    for (const throughPagesIndex of [true, false]) {
      const contents: (string | Uint8Array)[] = [];
      const pagefind: PageIndex = { addHTMLFile: async ({ content }) => (contents.push(content), { errors: [] }) };
      const feed = new SearchIndexer(throughPagesIndex ? pagesIndex(pagefind) : pagefind);
      feed.plan(['/aircraft/a/']);
      feed.started('/aircraft/a/');
      await feed.rendered('/aircraft/a/', page);
      expect(contents).toEqual([throughPagesIndex ? part : page]);
    }
  });

  it("decodes a page handed as UTF-8 bytes (a full build's) before cutting it for Pagefind's client", async () => {
    const page = '<!doctype html><html lang="en"><head><title>A — B</title><style>h1{color:red}</style></head><body><header>Menu</header><article data-pagefind-body><h1>Ça — 1,200 km</h1></article></body></html>';
    const part = '<!doctype html><html lang="en"><head><title>A — B</title></head><body><article data-pagefind-body><h1>Ça — 1,200 km</h1></article></body></html>';
    const contents: string[] = [];
    const feed = new SearchIndexer(pagesIndex({ addHTMLFile: async ({ content }) => (contents.push(content), { errors: [] }) }));
    feed.plan(['/aircraft/a/']);
    feed.started('/aircraft/a/');
    // A view into a larger buffer, as a Buffer may be: only its own bytes are the page.
    const padded = Buffer.from(`xx${page}yy`, 'utf8');
    await feed.rendered('/aircraft/a/', padded.subarray(2, padded.length - 2));
    expect(contents).toEqual([part]);
  });

  it("indexes a page held for its turn with its own bytes, after the page writer has taken the render's buffer", async () => {
    // The full build's order (pagefind-integration.ts): a render hands its bytes to the feed, then
    // the same Buffer to the page writer, which moves (detaches) its ArrayBuffer to its thread.
    // Renders finish out of order, so /aircraft/a/ (second in path order) is held until
    // /aircraft/a-b/ arrives, long after the writer took its buffer.
    const contents: Uint8Array[] = [];
    const feed = new SearchIndexer({ addHTMLFile: async ({ content }) => (contents.push(typeof content === 'string' ? Buffer.from(content) : content), { errors: [] }) });
    feed.plan(['/aircraft/a/', '/aircraft/a-b/']);
    for (const path of ['/aircraft/a/', '/aircraft/a-b/']) feed.started(path);
    const out = mkdtempSync(join(tmpdir(), 'hangar-search-indexer-'));
    const writer = pageWriterOffThread();
    const render = (html: string): Buffer => Buffer.from(new TextEncoder().encode(html).buffer);
    const a = render('<p>page a</p>');
    await feed.rendered('/aircraft/a/', a);
    await writer.write(join(out, 'a.html'), a);
    // finish() posts the queued batch at once: the buffer is the thread's from here on.
    const written = writer.finish();
    expect(a.byteLength).toBe(0);
    await feed.rendered('/aircraft/a-b/', render('<p>page a-b</p>'));
    await written;
    expect(contents.map((c) => Buffer.from(c).toString('utf8'))).toEqual(['<p>page a-b</p>', '<p>page a</p>']);
    expect(readFileSync(join(out, 'a.html'), 'utf8')).toBe('<p>page a</p>');
  });

  it('after a page restored from the cache (never rendered), adds the rest from disk in the same order', async () => {
    const { index, added } = recordingIndex();
    const feed = new SearchIndexer(index);
    feed.plan(plan);
    // a-b renders; a is restored (never starts); c and d render.
    for (const path of ['/', '/aircraft/a-b/']) feed.started(path);
    await feed.rendered('/aircraft/a-b/', 'html /aircraft/a-b/');
    for (const path of ['/role/fighter/', '/aircraft/c/', '/type/b738/', '/aircraft/d/']) feed.started(path);
    for (const path of ['/aircraft/c/', '/type/b738/', '/aircraft/d/']) await feed.rendered(path, `html ${path}`);
    expect(added.map((a) => a.content)).toEqual(['html /aircraft/a-b/']);
    await feed.finish(builtPages());
    expect(added.map((a) => a.sourcePath)).toEqual(indexed.map((p) => `${p.slice(1)}index.html`));
    expect(added.map((a) => a.content)).toEqual(['html /aircraft/a-b/', ...indexed.slice(1).map((p) => `disk ${p}`)]);
  });

  it('is complete once every planned page was streamed, never when one must be read back', async () => {
    const streamed = new SearchIndexer(recordingIndex().index);
    streamed.plan(plan);
    for (const path of plan) streamed.started(path);
    for (const path of indexed.slice(0, -1)) await streamed.rendered(path, `html ${path}`);
    expect(streamed.complete).toBe(false);
    await streamed.rendered('/role/fighter/', `html /role/fighter/`);
    expect(streamed.complete).toBe(false);
    await streamed.rendered(indexed.at(-1) ?? '', 'html last');
    expect(streamed.complete).toBe(true);

    // a is restored from the cache (never starts) while later pages render.
    const restored = new SearchIndexer(recordingIndex().index);
    restored.plan(plan);
    for (const path of indexed.filter((p) => p !== '/aircraft/a/')) {
      restored.started(path);
      await restored.rendered(path, `html ${path}`);
    }
    expect(restored.complete).toBe(false);
  });

  it('skips a page that rendered nothing to index, and fails naming a page Pagefind rejected', async () => {
    const { index, added } = recordingIndex('aircraft/c/');
    const feed = new SearchIndexer(index);
    feed.plan(plan);
    for (const path of plan) feed.started(path);
    await feed.rendered('/aircraft/a-b/', null);
    for (const path of indexed.slice(1)) await feed.rendered(path, `html ${path}`);
    expect(added.map((a) => a.sourcePath)).toEqual(indexed.slice(1).map((p) => `${p.slice(1)}index.html`));
    await expect(feed.finish(builtPages())).rejects.toThrow('/aircraft/c/: bad page');
  });
});

describe('indexBuiltPages', () => {
  it('indexes the built aircraft and type pages in the order a full build adds them', async () => {
    const { index, added } = recordingIndex();
    const dir = builtPages();
    // A removed route leaves its directory without a page.
    mkdirSync(join(dir, 'aircraft', 'gone'));
    expect(await indexBuiltPages(index, dir)).toBe(indexed.length);
    expect(added.map((a) => a.content)).toEqual(indexed.map((p) => `disk ${p}`));
  });
});
