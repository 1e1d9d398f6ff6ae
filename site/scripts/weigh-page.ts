/**
 * How much one built page costs a visitor: the one rule the CI budget gate (budgets.ts) and the
 * bench's page-weight part (`@hangarstack/site/weigh-page`) both use, so their numbers agree.
 *
 * A page loads its HTML (inline `<style>` and `<script>` included), the stylesheets it links, and
 * the JS it references (`<script src>`, `modulepreload`) plus every chunk those import statically.
 * Brotli sizes are at quality 11, as a CDN compresses static files.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/** Brotli size at the quality a CDN uses for static files. */
export const brotliSize = (data: Buffer | string): number =>
  brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

export interface PageWeight {
  page: string;
  /** Brotli bytes: the HTML file; the linked CSS; the loaded JS with the page's inline JS. */
  htmlBytes: number;
  cssBytes: number;
  jsBytes: number;
  /** htmlBytes + cssBytes + jsBytes: what the 14 KB one-round-trip budget limits. */
  total: number;
  /** Uncompressed bytes: the HTML file; CSS inline + linked; JS inline + loaded. */
  raw: { html: number; css: number; js: number };
}

/** Local asset URLs (site-absolute paths) a page loads, following static imports between JS chunks. */
export function assetsOf(client: string, html: string): { js: string[]; css: string[] } {
  const local = (url: string | undefined): url is string => url !== undefined && url.startsWith('/') && !url.startsWith('//');
  const css = new Set<string>();
  const queue: string[] = [];
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    const href = /\bhref=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (!local(href)) continue;
    if (/\brel=["']?stylesheet/i.test(tag)) css.add(href);
    else if (/\brel=["']?modulepreload/i.test(tag)) queue.push(href);
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc=["']?([^"'\s>]+)/gi)) if (local(m[1])) queue.push(m[1]);
  const js = new Set<string>();
  for (let src = queue.shift(); src !== undefined; src = queue.shift()) {
    if (js.has(src)) continue;
    js.add(src);
    const code = readAsset(client, src).toString('utf8');
    for (const m of code.matchAll(/(?:import|from)\s*["']\.\/([^"']+\.js)["']/g)) queue.push(posix.join(posix.dirname(src), m[1] ?? ''));
  }
  return { js: [...js], css: [...css] };
}

/** CSS and JS written into the page itself (`<style>`, `<script>` without src; JSON-LD is data, not JS). */
export function inlineCode(html: string): { css: string; js: string } {
  const css = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1] ?? '').join('');
  const js = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\bsrc=/i.test(m[1] ?? '') && !/type=["']?application\/(ld\+)?json/i.test(m[1] ?? ''))
    .map((m) => m[2] ?? '')
    .join('');
  return { css, js };
}

function readAsset(client: string, url: string): Buffer {
  return readFileSync(join(client, posix.normalize(url.split(/[?#]/)[0] ?? url)));
}

/** Weighs one built HTML page (`page` relative to the client dir) with everything it loads. */
export function weighPage(client: string, page: string): PageWeight {
  const html = readFileSync(join(client, page));
  const text = html.toString('utf8');
  const { js, css } = assetsOf(client, text);
  const inline = inlineCode(text);
  const jsCode = Buffer.concat([...js.map((f) => readAsset(client, f)), Buffer.from(inline.js)]);
  const cssCode = Buffer.concat(css.map((f) => readAsset(client, f)));
  const htmlBytes = brotliSize(html);
  const cssBytes = css.length ? brotliSize(cssCode) : 0;
  const jsBytes = jsCode.length ? brotliSize(jsCode) : 0;
  return {
    page,
    htmlBytes,
    cssBytes,
    jsBytes,
    total: htmlBytes + cssBytes + jsBytes,
    raw: { html: html.length, css: Buffer.byteLength(inline.css) + cssCode.length, js: jsCode.length },
  };
}
