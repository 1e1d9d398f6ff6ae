import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { indexedPart } from './search-extract.ts';

/** A page laid out like the site's: stylesheet (naming h1 and img), header, the body, related cards, scripts. */
const page = ({ head = '', body, after = '' }: { head?: string; body: string; after?: string }): string =>
  `<!DOCTYPE html><html lang="en" data-page="aircraft"><head><meta charset="utf-8"><title>Page · HangarStack</title>${head}` +
  `<style>h1{font-size:2rem}img{max-width:100%}.card{display:block}</style></head><body><a class="skip" href="#main">Skip</a>` +
  `<header class="top"><nav><ul><li><a href="/search/">Search</a></li><li><a href="/popular/">Popular</a></li></ul></nav></header>` +
  `<main id="main">${body}${after}</main><script type="module" src="/_astro/page.js"></script><footer><p>An open aircraft encyclopedia.</p></footer></body></html>`;

const aircraft = (name: string, role: string, history: string): string =>
  `<article data-aircraft="${name.toLowerCase()}" data-pagefind-body><p class="meta" data-pagefind-ignore><a href="/manufacturer/acme/" data-pagefind-filter="manufacturer:acme">Acme</a></p>` +
  `<h1 data-pagefind-meta="title" data-pagefind-weight="10" data-pagefind-sort="name">${name}</h1><p class="chips" data-pagefind-ignore><a href="/role/${role}/" data-pagefind-filter="role:${role}">${role}</a></p>` +
  `<dl class="specs"><dt>ICAO type</dt><dd data-pagefind-weight="10">${name.slice(0, 4).toUpperCase()}</dd><dt>Length</dt><dd><span class="met">37.8 m</span><span class="imp" data-pagefind-ignore>124 ft</span></dd></dl>` +
  `<div class="panel" data-pagefind-ignore><figure><img src="/img/${name}.jpg" alt="${name} in flight"><figcaption>Photo</figcaption></figure></div>` +
  `<section><h2>History</h2><p>${history}</p><article><h3>Variants</h3><p>${name} B, a stretched variant</p></article></section></article>`;
const related = `<section aria-labelledby="related"><h2 id="related">Related aircraft</h2><ul class="grid"><li><a class="card" href="/aircraft/other/"><strong>Other Jet</strong><small>France · 1969</small></a></li></ul></section>`;
const typeEntry = `<article data-type="B738" data-pagefind-meta="title:B738 — Boeing 737-800" data-pagefind-body><h1 data-pagefind-weight="0.1"><span data-designator data-pagefind-weight="10">B738</span> — Boeing 737-800</h1><dl class="specs" data-pagefind-weight="0.1"><dt>Engines</dt><dd>2 jet</dd></dl></article>`;

/** Ignored content of every kind: a drawing with ids and a heading (dropped), nested marks, text that names the mark, a filter and an image inside (kept). */
const ignoredKinds =
  `<article data-aircraft="charlie" data-pagefind-body><h1 data-pagefind-meta="title">Charlie</h1>` +
  `<div class="panel" data-pagefind-ignore><figure><svg viewBox="0 0 1 1" role="img" aria-labelledby="t"><title id="t">Top view of Charlie</title><path d="M0 0L1 1"></path></svg><figcaption>Top view</figcaption></figure></div>` +
  `<section class="panel" aria-labelledby="sources" data-pagefind-ignore><h2 id="sources">Sources</h2><ul><li>A book <span class="meta">crew, length</span></li></ul></section>` +
  `<p>Searchers may write data-pagefind-ignore in a query, and <span data-pagefind-ignore="all">hidden words</span> stay out.</p>` +
  `<div data-pagefind-ignore><p>outer <span data-pagefind-ignore>inner</span> text</p></div>` +
  `<div data-pagefind-ignore><a href="/era/1950s/" data-pagefind-filter="era:1950s">1950s</a> <span data-pagefind-ignore>dropped</span></div>` +
  `<dl><dt>Length</dt><dd><span class="met">12 m</span><span class="imp" data-pagefind-ignore>39 ft</span></dd></dl></article>`;

const pages = [
  { sourcePath: 'aircraft/charlie/index.html', content: page({ body: ignoredKinds }) },
  { sourcePath: 'aircraft/alpha/index.html', content: page({ body: aircraft('Alpha', 'airliner', 'A twin-engined jet airliner of the 1960s.'), after: related }) },
  { sourcePath: 'aircraft/bravo/index.html', content: page({ body: aircraft('Bravo', 'trainer', 'A single-engined trainer, built under licence.'), after: related }) },
  { sourcePath: 'type/b738/index.html', content: page({ body: typeEntry }) },
];

/** Every file under `dir` with its bytes, by relative path. */
const files = (dir: string): Map<string, Buffer> =>
  new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [join(e.parentPath, e.name).slice(dir.length), readFileSync(join(e.parentPath, e.name))]),
  );

describe('indexedPart', () => {
  it('keeps the html tag, the title and the whole body element (nested elements of its kind too), and drops the rest', () => {
    const part = indexedPart(pages[1]?.content ?? '');
    // …but the ignored elements with nothing Pagefind reads (the imperial figure), as the next tests say.
    const body = aircraft('Alpha', 'airliner', 'A twin-engined jet airliner of the 1960s.').replace('<span class="imp" data-pagefind-ignore>124 ft</span>', '');
    expect(part).toBe(`<!doctype html><html lang="en" data-page="aircraft"><head><title>Page · HangarStack</title></head><body>${body}</body></html>`);
    expect(indexedPart(pages[3]?.content ?? '')).toContain(typeEntry);
  });

  it('gives Pagefind the same index bytes as the whole pages', async () => {
    const out = tempDir('hangar-search-extract-');
    for (const [name, part] of [['whole', (html: string) => html], ['part', indexedPart]] as const) {
      const { index } = await pagefind.createIndex({});
      if (!index) throw new Error('Pagefind did not start');
      for (const { sourcePath, content } of pages) expect((await index.addHTMLFile({ sourcePath, content: part(content) })).errors).toEqual([]);
      await index.writeFiles({ outputPath: join(out, name) });
    }
    await pagefind.close();
    const whole = files(join(out, 'whole'));
    expect([...whole.keys()].filter((rel) => rel.startsWith('/fragment/'))).toHaveLength(pages.length);
    expect(files(join(out, 'part'))).toEqual(whole);
  });

  it('drops ignored elements holding nothing Pagefind reads, and keeps those with a filter, an image or a title, and text that only names the mark', () => {
    const part = indexedPart(pages[0]?.content ?? '');
    for (const gone of ['<svg', 'Top view', 'Sources', 'A book', 'inner', 'outer', 'hidden words', '39 ft', 'dropped']) expect(part).not.toContain(gone);
    for (const kept of ['Searchers may write data-pagefind-ignore in a query', 'data-pagefind-filter="era:1950s"', '12 m']) expect(part).toContain(kept);
    expect(indexedPart(pages[1]?.content ?? '')).toContain('<img src="/img/Alpha.jpg"');
  });

  it('hands on the whole page when Pagefind would read something outside the body, or finds no single body', () => {
    const body = aircraft('Alpha', 'airliner', 'History.');
    for (const html of [
      page({ body, after: '<p data-pagefind-filter="era:1960s">1960s</p>' }),
      page({ head: '<meta data-pagefind-meta="image[content]" content="/a.jpg">', body }),
      page({ body: `<h1>Aircraft</h1>${body}` }),
      page({ body, after: '<img src="/after.jpg" alt="">' }),
      page({ body: body + typeEntry }),
      page({ body: '<article><h1>No body mark</h1></article>' }),
      page({ body: body.replace('</section></article>', '</section>') }),
      `<div data-pagefind-body><h1>No html element</h1></div>`,
    ])
      expect(indexedPart(html)).toBe(html);
  });
});
