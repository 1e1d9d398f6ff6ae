/**
 * Site build: the full Astro build of N synthetic aircraft (build-and-swap --full) against Hugo
 * building the same pages from the same data (bench/hugo/), then a popularity-only rebuild
 * (build-and-swap with only the popularity file changed: re-renders the changed routes through
 * the live build's server bundle) and a one-aircraft data-change rebuild (the routes showing it,
 * plus a Pagefind re-index) against the full build. Wall time, pages/s and peak RSS of each.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Popularity } from '@hangarstack/shared';
import { spreadBuildTrees } from '@hangarstack/site/spread-build-trees';
import { writeHugoSite } from './hugo-site.ts';
import { perSecond, ratio } from './stats.ts';
import type { BenchRow } from './table.ts';
import { withTempDir } from './temp-dir.ts';
import { timed, type Timed } from './timed.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** Inside site/node_modules so the prerender chunks resolve the site's dependencies; git ignores it. */
export const ASTRO_WORK = join(ROOT, 'site', 'node_modules', '.hangar-bench');

/** Counts the HTML pages (files ending in .html) under `dir`. */
export function countPages(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html')).length;
}

/** A valid popularity snapshot ranking the given slugs in order; what a consumer publish looks like. */
export function popularityFor(slugs: readonly string[], now = Date.now()): Popularity {
  const aircraft: Popularity['aircraft'] = {};
  slugs.forEach((slug, i) => {
    const visitors = (slugs.length - i) * 10;
    aircraft[slug] = { views: { h24: visitors, d7: visitors * 2, d30: visitors * 3 }, visitors: { h24: visitors, d7: visitors, d30: visitors }, trending: 0, rank: i + 1 };
  });
  return {
    schema: 1,
    generatedAt: new Date(now).toISOString(),
    asOf: now,
    aircraft,
    popular: [...slugs],
    trending: [],
    searches: { kAnonymity: 5, top: [] },
    source: { kind: 'kafka', offsets: {} },
  };
}

/** build-and-swap.ts (args: --full, or none for the popularity-only path when it applies) into `liveDir`. */
export function buildAndSwap(dataDir: string, liveDir: string, cacheDir: string, popularityFile: string, args: string[]) {
  return timed(process.execPath, ['--no-warnings', join(ROOT, 'site', 'scripts', 'build-and-swap.ts'), ...args], {
    cwd: ROOT,
    env: { HANGAR_DATA_DIR: dataDir, POPULARITY_FILE: popularityFile, HANGAR_LIVE_DIR: liveDir, ASTRO_CACHE_DIR: cacheDir },
  });
}

/** `user s + sys s` of a timed command. */
const cpu = (run: Timed): string => `${run.userS.toFixed(2)} + ${run.sysS.toFixed(2)} s`;

/** Runs one Astro build of `dataDir` into `outDir` with `cacheDir`. */
export function astroBuild(dataDir: string, outDir: string, cacheDir: string, popularityFile: string) {
  return timed(process.execPath, ['--no-warnings', join(ROOT, 'bench', 'src', 'astro-build.ts'), outDir, cacheDir], {
    cwd: ROOT,
    env: { HANGAR_DATA_DIR: dataDir, POPULARITY_FILE: popularityFile },
  });
}

/** The comparison for `count` synthetic aircraft. */
export async function siteBuild(count: number): Promise<BenchRow[]> {
  const label = count >= 1000 ? `${count / 1000}k` : String(count);
  const section = `build ${label}`;
  return withTempDir(`hangar-bench-build-${label}-`, async (work) => {
    const data = join(work, 'data');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'data', 'synthetic.ts'), '--count', String(count), '--out', data], { cwd: ROOT, stdio: 'ignore' });

    const hugoDir = join(work, 'hugo');
    writeHugoSite(data, hugoDir);
    // Hugo's output gets the inode placement every Astro build gets (builds/ is marked the same way,
    // spread-build-trees.ts, and each build dir has a new name, which picks its place): on a file
    // system without a journal, a tree made where the last bench run's trees were just deleted scans
    // past every freed inode. Hugo at 1k, 5 interleaved runs: 1.56-2.29 s (sys 1.1-2.2 s) as before,
    // 0.87-1.64 s (sys 0.3-1.2 s) placed so. The baseline is Hugo at its best.
    const hugoOuts = join(work, 'hugo-out');
    mkdirSync(hugoOuts);
    spreadBuildTrees(hugoOuts);
    const hugoOut = mkdtempSync(join(hugoOuts, 'public-'));
    const hugo = await timed('hugo', ['--quiet', '--source', hugoDir, '--destination', hugoOut], { cwd: hugoDir });
    const hugoPages = countPages(hugoOut);

    const astroDir = join(ASTRO_WORK, label);
    rmSync(astroDir, { recursive: true, force: true });
    mkdirSync(astroDir, { recursive: true });
    const live = join(astroDir, 'live');
    const cache = join(astroDir, 'cache');
    const popularityFile = join(work, 'popularity.json');
    const slugs = readdirSync(join(data, 'aircraft')).map((f) => f.replace(/\.json$/, '')).sort();
    writeFileSync(popularityFile, JSON.stringify(popularityFor(slugs.slice(0, 20))));
    const full = await buildAndSwap(data, live, cache, popularityFile, ['--full']);
    const pages = countPages(join(live, 'current', 'client'));

    // A consumer publish: the ranking changes for a few aircraft, nothing else.
    writeFileSync(popularityFile, JSON.stringify(popularityFor([...slugs.slice(0, 20)].reverse())));
    const rebuild = await buildAndSwap(data, live, cache, popularityFile, []);
    // A data change: one aircraft's record edited (text on its page and in the search index), as
    // `./hangar data publish` would announce it; the rebuild renders its routes, not the site.
    const edited = join(data, 'aircraft', `${slugs[0] ?? ''}.json`);
    const record = JSON.parse(readFileSync(edited, 'utf8')) as { history?: string };
    writeFileSync(edited, JSON.stringify({ ...record, history: `${record.history ?? ''} Revised.` }, null, 2));
    const dataChange = await buildAndSwap(data, live, cache, popularityFile, []);
    const dataPath = /re-rendered (\d+) routes and removed \d+[^(]*\(data change[^)]*\)/.exec(dataChange.output)?.[0];
    rmSync(astroDir, { recursive: true, force: true });

    const rate = perSecond(pages, full.ms);
    const hugoRate = perSecond(hugoPages, hugo.ms);
    const timeRatio = ratio(full.ms, hugo.ms);
    const rebuildRatio = ratio(rebuild.ms, full.ms);
    const dataRatio = ratio(dataChange.ms, full.ms);
    const atScale = count >= 10_000;
    const rssMiB = full.peakRssKb / 1024;
    return [
      // The CPU tells a busy run from a slow build: on this 2-core machine a build that shares the
      // cores, or that lands on inodes freed within the last minute (ext4 without a journal), shows it.
      { id: `build.astro_vs_hugo_${label}`, section, measure: 'astro full build', value: full.ms / 1000, unit: 's', baseline: { name: 'hugo s', value: hugo.ms / 1000 }, ratio: timeRatio, target: '≤ 5× hugo', ok: timeRatio <= 5, note: `CPU user + sys: astro ${cpu(full)} (its render worker not counted), hugo ${cpu(hugo)}` },
      { id: `build.pages_per_s_${label}`, section, measure: 'astro pages/s', value: rate, unit: 'pages/s', baseline: { name: 'hugo', value: hugoRate }, ratio: ratio(rate, hugoRate), ...(atScale ? { target: '≥ 250', ok: rate >= 250 } : {}), note: `${pages} astro / ${hugoPages} hugo pages` },
      { id: `build.popularity_rebuild_ratio_${label}`, section, measure: 'popularity-only rebuild', value: rebuild.ms / 1000, unit: 's', baseline: { name: 'full s', value: full.ms / 1000 }, ratio: rebuildRatio, target: '≤ 0.1× full', ok: rebuildRatio <= 0.1 },
      {
        id: `build.data_change_rebuild_ratio_${label}`,
        section,
        measure: 'one-aircraft data change rebuild',
        value: dataChange.ms / 1000,
        unit: 's',
        baseline: { name: 'full s', value: full.ms / 1000 },
        ratio: dataRatio,
        // Not a partial render (it fell back to a full build) is a failure of this row, whatever the time.
        ok: dataPath !== undefined,
        note: dataPath ?? `built in full: ${dataChange.output.slice(-160)}`,
      },
      { id: `build.peak_rss_mib_${label}`, section, measure: 'astro full build peak RSS', value: rssMiB, unit: 'MiB', baseline: { name: 'hugo MiB', value: hugo.peakRssKb / 1024 }, ratio: ratio(full.peakRssKb, hugo.peakRssKb), ...(atScale ? { target: '≤ 1024 MiB', ok: rssMiB <= 1024 } : {}) },
      { id: `build.rebuild_peak_rss_mib_${label}`, section, measure: 'rebuild peak RSS', value: rebuild.peakRssKb / 1024, unit: 'MiB', baseline: { name: 'full MiB', value: full.peakRssKb / 1024 }, ratio: ratio(rebuild.peakRssKb, full.peakRssKb) },
    ];
  });
}
