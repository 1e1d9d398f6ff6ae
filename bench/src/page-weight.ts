/**
 * Page weight of the real site: per built HTML page, the bytes of its HTML, the CSS and JS it
 * loads from the build (linked stylesheets, script src, module preloads), and all of it brotli'd
 * (node:zlib, quality 11 as a CDN would serve). Median and max over every page.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { median } from './stats.ts';
import type { BenchRow } from './table.ts';

/** Bytes of CSS and JS written into the page itself (`<style>`, `<script>` without src; JSON-LD is data, not JS). */
export function inlineBytes(html: string): { css: number; js: number } {
  let css = 0;
  let js = 0;
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) css += Buffer.byteLength(m[1] ?? '');
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (/\bsrc=/i.test(attrs) || /type=["']?application\/(ld\+)?json/i.test(attrs)) continue;
    js += Buffer.byteLength(m[2] ?? '');
  }
  return { css, js };
}

/** Local asset URLs an HTML page loads, split by kind. */
export function assetsOf(html: string): { css: string[]; js: string[] } {
  const css = new Set<string>();
  const js = new Set<string>();
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    const href = /\bhref=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (!href || !href.startsWith('/')) continue;
    if (/\brel=["']?stylesheet/i.test(tag)) css.add(href);
    else if (/\brel=["']?modulepreload/i.test(tag)) js.add(href);
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc=["']?([^"'\s>]+)/gi)) if (m[1]?.startsWith('/')) js.add(m[1]);
  return { css: [...css], js: [...js] };
}

const brotli = (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/**
 * Per-page weights for a built site in `dist` (or `dist/client`, where Astro's node adapter puts
 * the static files). CSS and JS count both inline and loaded bytes; HTML is the file as served.
 */
export function pageWeights(built: string) {
  const dist = existsSync(join(built, 'client')) ? join(built, 'client') : built;
  const cache = new Map<string, { raw: number; br: number }>();
  const asset = (url: string) => {
    const hit = cache.get(url);
    if (hit) return hit;
    const file = join(dist, posix.normalize(url.split(/[?#]/)[0] as string));
    const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    const sized = { raw: bytes.length, br: bytes.length ? brotli(bytes) : 0 };
    cache.set(url, sized);
    return sized;
  };
  const pages = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
  return pages.map((page) => {
    const html = readFileSync(join(dist, page));
    const text = html.toString('utf8');
    const { css, js } = assetsOf(text);
    const inline = inlineBytes(text);
    const cssSizes = css.map(asset);
    const jsSizes = js.map(asset);
    const sum = (xs: { raw: number; br: number }[], k: 'raw' | 'br') => xs.reduce((a, x) => a + x[k], 0);
    return {
      page,
      html: html.length,
      css: inline.css + sum(cssSizes, 'raw'),
      js: inline.js + sum(jsSizes, 'raw'),
      brotli: brotli(html) + sum(cssSizes, 'br') + sum(jsSizes, 'br'),
    };
  });
}

/** Rows: median and max of HTML, CSS, JS and brotli'd total over all pages in `dist`. */
export function pageWeightRows(dist: string): BenchRow[] {
  const weights = pageWeights(dist);
  const rows: BenchRow[] = [];
  for (const key of ['html', 'css', 'js', 'brotli'] as const) {
    const values = weights.map((w) => w[key]);
    const heaviest = weights.reduce((a, w) => (w[key] > a[key] ? w : a), weights[0] as (typeof weights)[number]);
    const label = key === 'brotli' ? 'HTML+CSS+JS brotli' : key === 'html' ? 'HTML raw (incl. inline)' : `${key.toUpperCase()} raw (inline + files)`;
    rows.push({ section: 'page weight', measure: `${label} median`, value: median(values) / 1024, unit: 'KiB', note: `${weights.length} pages` });
    rows.push({ section: 'page weight', measure: `${label} max`, value: Math.max(...values) / 1024, unit: 'KiB', note: heaviest.page });
  }
  return rows;
}
