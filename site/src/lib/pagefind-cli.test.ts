import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { indexWithPagefind } from './pagefind-cli.ts';

const page = (title: string, body: string): string =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><nav>Home Search</nav>${body}</body></html>`;

/** A client dir with two aircraft pages, a type entry and pages search leaves out. */
function client(options: { withoutBody?: string } = {}): string {
  const dir = tempDir('hangar-pagefind-cli-');
  const write = (path: string, html: string): void => {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'index.html'), html);
  };
  for (const [slug, name] of [['dc-3', 'Douglas DC-3'], ['ju-52', 'Junkers Ju 52']] as const) {
    const body = slug === options.withoutBody ? `<article><h1>${name}</h1></article>` : `<article data-pagefind-body><h1 data-pagefind-meta="title">${name}</h1><p>A transport of the 1930s.</p></article>`;
    write(`aircraft/${slug}`, page(name, body));
  }
  write('type/dc3', page('DC3', '<article data-pagefind-body data-pagefind-meta="title:DC3 — Douglas DC-3"><p>Douglas DC-3</p></article>'));
  write('', page('HangarStack', '<main><p>Douglas DC-3 and Junkers Ju 52</p></main>'));
  write('manufacturer/douglas', page('Douglas', '<main><p>Douglas DC-3</p></main>'));
  writeFileSync(join(dir, 'aircraft', 'dc-3.json'), '{}');
  return dir;
}

const files = (dir: string): Map<string, string> =>
  new Map(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().flatMap((rel) => {
    try {
      return [[rel, readFileSync(join(dir, rel)).toString('base64')] as const];
    } catch {
      return [];
    }
  }));

describe('indexWithPagefind', { timeout: 60_000 }, () => {
  it('indexes the aircraft pages and type entries only, and counts them', async () => {
    const dir = client();
    await expect(indexWithPagefind(dir, join(dir, 'pagefind'), 3)).resolves.toBe(3);
    const entry = JSON.parse(readFileSync(join(dir, 'pagefind', 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    expect(entry.languages.en?.page_count).toBe(3);
    const fragments = readdirSync(join(dir, 'pagefind', 'fragment'));
    expect(fragments).toHaveLength(3);
    expect(readdirSync(join(dir, 'pagefind'))).toContain('pagefind.js');
  });

  it('makes the same bytes from the same pages in another directory', async () => {
    const [a, b] = [client(), client()];
    await indexWithPagefind(a, join(a, 'pagefind'), 3);
    await indexWithPagefind(b, join(b, 'pagefind'), 3);
    expect(files(join(b, 'pagefind'))).toEqual(files(join(a, 'pagefind')));
  });

  it('fails naming the counts when Pagefind indexed fewer pages than were built with data-pagefind-body', async () => {
    const dir = client({ withoutBody: 'ju-52' });
    await expect(indexWithPagefind(dir, join(dir, 'pagefind'), 3)).rejects.toThrow(/Pagefind indexed 2 of the 3 pages built with data-pagefind-body/);
  });

  it('is not steered by PAGEFIND_* variables (a root selector would index the nav instead)', async () => {
    const [plain, steered] = [client(), client()];
    await indexWithPagefind(plain, join(plain, 'pagefind'), 3);
    process.env.PAGEFIND_ROOT_SELECTOR = 'nav';
    try {
      await indexWithPagefind(steered, join(steered, 'pagefind'), 3);
    } finally {
      delete process.env.PAGEFIND_ROOT_SELECTOR;
    }
    expect(files(join(steered, 'pagefind'))).toEqual(files(join(plain, 'pagefind')));
  });
});
