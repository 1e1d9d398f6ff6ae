/**
 * Lighthouse in real Chromium on representative pages of the live build; fails when any of
 * performance, accessibility, best practices or SEO scores below 95 on any page.
 *
 *   node site/scripts/lighthouse.ts      (serves HANGAR_LIVE_DIR's current build on a free port)
 *
 * Reports go to test-results/lighthouse/<page>.json. Chromium: CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { launchChromium } from '@hangarstack/testing/chromium';
import { freePort } from '@hangarstack/testing/free-port';
import { startService } from '@hangarstack/testing/supervisor';
import { currentBuild, liveLayout, SITE_DIR } from './live-dir.ts';
import { siteConfig } from '../src/lib/config.ts';

const MIN_SCORE = 0.95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

const build = currentBuild(liveLayout(siteConfig().liveDir).current);
if (!build) {
  console.error('No live build to audit; run node site/scripts/build-and-swap.ts first.');
  process.exit(1);
}
const aircraft = readdirSync(join(build, 'client', 'aircraft')).find((n) => !n.endsWith('.json'));
const pages = { home: '/', aircraft: `/aircraft/${aircraft}/`, search: '/search/?q=boeing&role=airliner', popular: '/popular/' };

const [sitePort, debugPort] = await Promise.all([freePort(), freePort()]);
const origin = `http://127.0.0.1:${sitePort}`;
const server = await startService(
  { name: 'site', command: process.execPath, args: [join(SITE_DIR, 'scripts', 'serve.ts')], env: { SITE_PORT: String(sitePort) }, readyUrl: `${origin}/`, readyTimeoutMs: 10_000 },
  () => undefined,
);
const browser = await launchChromium({ args: [`--remote-debugging-port=${debugPort}`] });
const out = join(SITE_DIR, '..', 'test-results', 'lighthouse');
mkdirSync(out, { recursive: true });
const failures: string[] = [];

/** One Lighthouse run (mobile, simulated throttling) of one page. */
async function audit(path: string) {
  const result = await lighthouse(`${origin}${path}`, { port: debugPort, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], formFactor: 'mobile' });
  if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
  const { lhr } = result;
  const scores = CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? 0] as const);
  const weak = new Map(
    CATEGORIES.map((c) => [c, (lhr.categories[c]?.auditRefs ?? []).filter((r) => r.weight > 0 && (lhr.audits[r.id]?.score ?? 1) < 0.9).map((r) => r.id)]),
  );
  const report = typeof result.report === 'string' ? result.report : JSON.stringify(result.report);
  return { scores, weak, report, min: Math.min(...scores.map(([, s]) => s)) };
}

try {
  for (const [name, path] of Object.entries(pages)) {
    // Scores vary with machine load (this box is shared); a page that misses on its first run
    // is run twice more and judged on the median of three, as Lighthouse's docs advise.
    const first = await audit(path);
    const runs = first.min < MIN_SCORE ? [first, await audit(path), await audit(path)] : [first];
    const judged = [...runs].sort((a, b) => a.min - b.min)[Math.floor(runs.length / 2)] ?? first;
    writeFileSync(join(out, `${name}.json`), judged.report);
    const note = runs.length > 1 ? ` (median of 3: ${runs.map((r) => Math.round(r.min * 100)).join('/')})` : '';
    console.log(`${name.padEnd(9)} ${path.padEnd(40)} ${judged.scores.map(([c, s]) => `${c} ${Math.round(s * 100)}`).join('  ')}${note}`);
    for (const [c, s] of judged.scores) if (s < MIN_SCORE) failures.push(`${path}: ${c} ${Math.round(s * 100)} < ${MIN_SCORE * 100} (${judged.weak.get(c)?.join(', ')})`);
  }
} finally {
  await browser.close();
  await server.stop();
}
if (failures.length > 0) {
  console.error(`✗ Lighthouse below ${MIN_SCORE * 100}:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`✓ Lighthouse ≥ ${MIN_SCORE * 100} in ${CATEGORIES.join(', ')} on ${Object.keys(pages).length} pages`);
