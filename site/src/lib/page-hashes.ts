import { contentHash } from '../../scripts/file-hashes.ts';

/**
 * The content hash of each page as the prerenderer hands its bytes to Astro (or, for the pages its
 * writer thread writes, as that thread wrote them), by the file they are written to: the deploy manifest (deploy-manifest-integration.ts) takes a page's hash from
 * here instead of reading the file back after generate. At 10k aircraft that read-back was ~20k
 * files and ~1.25 s after the last page, with nothing else left to run.
 *
 * The file is where this site's config (`build.format: 'directory'`) puts a route: `/a/b/` in
 * `a/b/index.html`, `/a/b.json` in `a/b.json`. A page Astro writes elsewhere (the 404 page goes
 * to `404.html`) is simply not found here, and the manifest reads that file instead.
 */
export class PageHashes {
  readonly #byFile = new Map<string, string>();
  /** Files two pages mapped to: which one Astro wrote last is not known here, so the manifest reads them. */
  readonly #twice = new Set<string>();

  /** Forgets every page: a new build starts (one instance serves every build of a process). */
  clear(): void {
    this.#byFile.clear();
    this.#twice.clear();
  }

  /** A page's bytes, as Astro is about to write them. */
  record(pathname: string, bytes: Buffer): void {
    this.recordFile(pageFile(pathname), contentHash(bytes));
  }

  /** The hash of a page's file (relative to the client dir, `/`-separated) another thread wrote and hashed (page-writer.ts). */
  recordFile(rel: string, hash: string): void {
    if (this.#byFile.has(rel)) this.#twice.add(rel);
    this.#byFile.set(rel, hash);
  }

  /** The hash of the page written to `rel` (relative to the client dir, `/`-separated), if one page was recorded there. */
  get(rel: string): string | undefined {
    return this.#twice.has(rel) ? undefined : this.#byFile.get(rel);
  }
}

/** The file (relative to the client dir) a route's page is written to in the directory format. */
export const pageFile = (pathname: string): string => (pathname.endsWith('/') ? `${pathname.slice(1)}index.html` : pathname.slice(1));
