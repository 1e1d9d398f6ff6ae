/**
 * Checks the size budgets on a built site: every aircraft page must arrive in one round trip
 * (HTML + CSS + JS ≤ 14 KB brotli together) with at most 2 KB brotli of JS, and the beacon
 * alone ≤ 1 KB, each page weighed by `weighPage` (the bench's rule too). Exits non-zero naming
 * each page over budget.
 *
 *   node site/scripts/budgets.ts [client dir]   (default: the live build's client dir (HANGAR_LIVE_DIR), then site/dist/client)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliSize, weighPage, type PageWeight } from './weigh-page.ts';
import { liveLayout } from './live-dir.ts';
import { siteConfig } from '../src/lib/config.ts';

export const BUDGETS = { pageBytes: 14 * 1024, jsBytes: 2 * 1024, beaconBytes: 1024 } as const;

/** Weighs every aircraft page and returns the pages over budget with a reason each. */
export function checkBudgets(client: string): { pages: PageWeight[]; failures: string[]; beaconBytes: number; htmlPages: number } {
  const dir = join(client, 'aircraft');
  const pages = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .map((name) => weighPage(client, `aircraft/${name}/index.html`));
  const failures = pages.flatMap((p) => [
    ...(p.total > BUDGETS.pageBytes ? [`${p.page}: ${p.total} B brotli HTML+CSS+JS > ${BUDGETS.pageBytes} B`] : []),
    ...(p.jsBytes > BUDGETS.jsBytes ? [`${p.page}: ${p.jsBytes} B brotli JS > ${BUDGETS.jsBytes} B`] : []),
  ]);
  const beacon = readdirSync(join(client, '_astro')).find((f) => f.startsWith('beacon.') && f.endsWith('.js'));
  const beaconBytes = beacon ? brotliSize(readFileSync(join(client, '_astro', beacon))) : 0;
  if (!beacon) failures.push('no beacon chunk (_astro/beacon.*.js) found: did the build change how it splits scripts?');
  if (beaconBytes > BUDGETS.beaconBytes) failures.push(`beacon: ${beaconBytes} B brotli > ${BUDGETS.beaconBytes} B`);
  const htmlPages = countHtml(client);
  return { pages, failures, beaconBytes, htmlPages };
}

function countHtml(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? countHtml(join(dir, e.name)) : e.name.endsWith('.html') ? 1 : 0),
    0,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = fileURLToPath(new URL('..', import.meta.url));
  const client = resolve(
    process.argv[2] ?? [join(liveLayout(siteConfig().liveDir).current, 'client'), join(site, 'dist/client')].find((d) => existsSync(d)) ?? join(site, 'dist/client'),
  );
  if (!existsSync(join(client, 'aircraft'))) {
    console.error(`No built site at ${client}; run the site build first (node site/scripts/build-and-swap.ts).`);
    process.exit(1);
  }
  const { pages, failures, beaconBytes, htmlPages } = checkBudgets(client);
  const largest = pages.reduce((a, b) => (b.total > a.total ? b : a));
  const rawLargest = Math.max(...pages.map((p) => statSync(join(client, p.page)).size));
  console.log(
    `budgets: ${pages.length} aircraft pages (${htmlPages} HTML pages in all); largest ${largest.page} ${largest.total} B brotli ` +
      `(html ${largest.htmlBytes}, css ${largest.cssBytes}, js ${largest.jsBytes}); largest raw HTML ${rawLargest} B; beacon ${beaconBytes} B brotli`,
  );
  if (failures.length > 0) {
    console.error(`✗ over budget:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('✓ all aircraft pages within budget');
}
