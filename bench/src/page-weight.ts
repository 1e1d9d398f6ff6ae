/**
 * Page weight of the real site: every built HTML page weighed by the site's own `weighPage` (the
 * rule the CI budget gate uses), raw HTML, CSS and JS bytes (inline and loaded) and all of it
 * brotli'd. Median and max over every page.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { weighPage } from '@hangarstack/site/weigh-page';
import { median } from './stats.ts';
import type { BenchRow } from './table.ts';

/**
 * Per-page weights for a built site in `built` (or `built/client`, where Astro's node adapter puts
 * the static files).
 */
export function pageWeights(built: string) {
  const client = existsSync(join(built, 'client')) ? join(built, 'client') : built;
  const pages = readdirSync(client, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
  return pages.map((page) => {
    const w = weighPage(client, page);
    return { page, html: w.raw.html, css: w.raw.css, js: w.raw.js, brotli: w.total };
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
