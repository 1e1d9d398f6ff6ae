import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { indexedPart } from './search-extract.ts';

/**
 * What SearchIndexer needs of an index: one that takes whole pages. Pagefind's own client is made
 * one by `pagesIndex` (the data-change rebuild's, and the one in the Pagefind thread that
 * pagefind-off-thread.ts talks to).
 */
export interface PageIndex {
  /**
   * `content` is the page's HTML, as text or as its UTF-8 bytes (the build hands bytes: decoding is left to the Pagefind thread).
   * Bytes are the caller's only until this returns: an index that uses them later takes a copy first
   * (pagefind-off-thread.ts copies them into its batch, `startingPagefind` while the thread starts).
   */
  addHTMLFile(file: { sourcePath: string; content: string | Uint8Array }): Promise<{ errors: string[] }>;
}

/** What pagesIndex needs of Pagefind's client: it takes HTML as text. */
interface TextIndex {
  addHTMLFile(file: { sourcePath: string; content: string }): Promise<{ errors: string[] }>;
}

/**
 * Pagefind's client as a PageIndex: it is handed only what Pagefind reads of each page
 * (search-extract.ts's indexedPart: the same index from a third of the bytes). In a full build this
 * runs in the Pagefind thread, off the render thread (~40 ms at 1k aircraft there).
 */
export function pagesIndex(pagefind: TextIndex): PageIndex {
  return { addHTMLFile: ({ sourcePath, content }) => pagefind.addHTMLFile({ sourcePath, content: indexedPart(typeof content === 'string' ? content : utf8Text(content)) }) };
}

const utf8Text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/** The pages that carry `data-pagefind-body`: aircraft pages and short type entries (/type/<designator>/). */
export const isIndexedPath = (pathname: string): boolean => /^\/(aircraft|type)\/[^/]+\/$/.test(pathname);

/** The built file of an indexed page, relative to the client dir (directory format). */
const sourcePath = (pathname: string): string => `${pathname.slice(1)}index.html`;

/** Adds beyond this many waiting in Pagefind's queue hold the renders back, so pages never pile up in memory. */
const MAX_IN_FLIGHT = 64;
/** Rendered pages held for their turn beyond this mean Astro renders in another order: read them back after the build instead. */
const MAX_WAITING = 256;

/** The index order: pathnames by UTF-16 code units (what `<` compares), never locale rules. */
export const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Feeds pages to a Pagefind index while Astro generates them, so Pagefind (its own process)
 * parses on the other core instead of reading every page back after the build.
 *
 * Pagefind numbers pages in the order they are added, and that number is in the index files,
 * so pages are always added in path order (`byPath`), however they were made: the index is the
 * same bytes for the same pages, whether a full build rendered them, restored them from the
 * incremental-build cache or a data-change rebuild re-indexes a copy (`indexBuiltPages`). The
 * aircraft and type routes generate in that order (their getStaticPaths sort by path), so a
 * rendered page waits at most for the few rendered beside it. Astro starts pages in generate
 * order, so when a later page starts and an earlier one never did, the earlier one was restored
 * from the cache without a render: from there on, pages are read from disk after generation
 * instead (`finish`).
 */
export class SearchIndexer {
  readonly #index: PageIndex;
  /** Indexed pathnames in generate order, and each one's position. */
  #order: string[] = [];
  #position = new Map<string, number>();
  /** Rendered pages waiting for their turn (at most the generate concurrency). */
  #ready = new Map<string, string | Uint8Array | null>();
  #started = new Set<string>();
  #furthestStarted = -1;
  #next = 0;
  #streaming = true;
  #inFlight: Promise<void>[] = [];
  #errors: string[] = [];

  constructor(index: PageIndex) {
    this.#index = index;
  }

  /** The pathnames the build has (the prerenderer's getStaticPaths, or the built files); only indexed ones count. */
  plan(pathnames: readonly string[]): void {
    this.#order = [...new Set(pathnames.filter(isIndexedPath))].sort(byPath);
    this.#position = new Map(this.#order.map((p, i) => [p, i]));
  }

  /** Called as a page's render starts (before any await). */
  started(pathname: string): void {
    const at = this.#position.get(pathname);
    if (at === undefined) return;
    this.#started.add(pathname);
    this.#furthestStarted = Math.max(this.#furthestStarted, at);
  }

  /** A page's HTML (text or UTF-8 bytes), or null when it rendered no page to index (not a 200). Resolves when Pagefind is not too far behind. */
  async rendered(pathname: string, html: string | Uint8Array | null): Promise<void> {
    if (!this.#position.has(pathname)) return;
    if (this.#streaming) this.#ready.set(pathname, html);
    this.#pump();
    // The bytes are the caller's only until this returns: the build then hands the same Buffer to the
    // page writer (pagefind-integration.ts), which moves its memory to its thread (page-writer.ts),
    // leaving it empty. A page that finished before its turn is kept as a copy of its own (pages
    // added just now were handed over in PageIndex.addHTMLFile, which copies what it keeps).
    const held = this.#ready.get(pathname);
    if (held instanceof Uint8Array) this.#ready.set(pathname, new Uint8Array(held));
    if (this.#ready.size > MAX_WAITING) this.#stopStreaming();
    if (this.#inFlight.length > MAX_IN_FLIGHT) await this.#drain();
  }

  /** Every planned page was handed to Pagefind as it rendered: the index can be written before the build ends (`finish` then reads nothing back). */
  get complete(): boolean {
    return this.#streaming && this.#next === this.#order.length;
  }

  /** Adds every page not yet added, from the built files under `clientDir`, in order; then waits for Pagefind. */
  async finish(clientDir: string): Promise<number> {
    this.#streaming = false;
    this.#ready.clear();
    // Read a window of pages in parallel, add them strictly in order, and let Pagefind catch up.
    for (let from = this.#next; from < this.#order.length; from += MAX_IN_FLIGHT) {
      const window = this.#order.slice(from, from + MAX_IN_FLIGHT);
      const contents = await Promise.all(window.map((pathname) => readFile(join(clientDir, sourcePath(pathname)), 'utf8')));
      window.forEach((pathname, i) => this.#add(pathname, contents[i] ?? ''));
      await this.#drain();
    }
    this.#next = this.#order.length;
    await this.#drain();
    if (this.#errors.length > 0) throw new Error(`Pagefind could not index ${this.#errors.length} pages: ${this.#errors.slice(0, 5).join('; ')}`);
    return this.#order.length;
  }

  #pump(): void {
    for (let pathname = this.#order[this.#next]; this.#streaming && pathname !== undefined; pathname = this.#order[this.#next]) {
      const html = this.#ready.get(pathname);
      if (html === undefined) {
        // Not rendered yet: wait for it, unless it never started while a later page did (restored from the cache).
        if (!this.#started.has(pathname) && this.#furthestStarted > this.#next) this.#stopStreaming();
        return;
      }
      this.#ready.delete(pathname);
      if (html !== null) this.#add(pathname, html);
      this.#next += 1;
    }
  }

  #stopStreaming(): void {
    this.#streaming = false;
    this.#ready.clear();
  }

  #add(pathname: string, content: string | Uint8Array): void {
    // Pagefind's service handles messages one at a time in arrival order: no need to await each.
    const added = this.#index.addHTMLFile({ sourcePath: sourcePath(pathname), content }).then((response) => {
      if (response.errors.length > 0) this.#errors.push(`${pathname}: ${response.errors.join(', ')}`);
    });
    this.#inFlight.push(added);
  }

  async #drain(): Promise<void> {
    const waiting = this.#inFlight;
    this.#inFlight = [];
    await Promise.all(waiting);
  }
}

/** Indexes the aircraft pages and type entries already built under `clientDir` (a data-change rebuild's copy), in the order a full build adds them. */
export async function indexBuiltPages(index: PageIndex, clientDir: string): Promise<number> {
  const pathnames: string[] = [];
  for (const section of ['aircraft', 'type']) {
    const entries = await readdir(join(clientDir, section), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory() && existsSync(join(clientDir, section, entry.name, 'index.html'))) pathnames.push(`/${section}/${entry.name}/`);
  }
  const feed = new SearchIndexer(index);
  feed.plan(pathnames);
  return feed.finish(clientDir);
}
