import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, files, FIXTURES, tempDir, testLiveDir } from './harness.ts';

/**
 * The data-change rebuild through build-and-swap.ts on a copy of the fixture catalogue: it
 * renders only the routes whose pages show the changed record (through the live build's server
 * bundle, reading the data dir), re-indexes search, and leaves every other file the live one;
 * the result equals a full build of the same data; a removed aircraft's pages are gone; a
 * failed render keeps the live site.
 */
const live = testLiveDir('data');
const cache = join(tempDir('data-cache'), 'astro');
const dataDir = join(tempDir('data-dir'), 'data');
cpSync(FIXTURES, dataDir, { recursive: true });
const popularityFile = join(dataDir, 'popularity.json');
const env = (over: Record<string, string> = {}) => ({
  HANGAR_DATA_DIR: dataDir,
  POPULARITY_FILE: popularityFile,
  PUBLIC_COLLECTOR_URL: 'http://127.0.0.1:9',
  SITE_URL: 'https://hangar.example',
  HANGAR_LIVE_DIR: live,
  ASTRO_CACHE_DIR: cache,
  // The worker is the popularity-only path's; this test's renders load the bundle themselves.
  RENDER_WORKER_IDLE_MS: '0',
  ...over,
});
const current = () => realpathSync(join(live, 'current'));
const aircraftFile = (slug: string) => join(dataDir, 'aircraft', `${slug}.json`);

/** The client files of the live build equal those of a --full build of the same data, byte for byte. */
function expectEqualToFullBuild(): void {
  const partial = files(current());
  const result = buildSite(env(), ['--full']);
  expect(result.status, result.output).toBe(0);
  expect(result.output).toContain('✓ site built');
  const full = files(current());
  const client = (m: Map<string, { ino: number; sha: string }>) => [...m].filter(([rel]) => rel.startsWith('client/')).map(([rel, f]): [string, string] => [rel, f.sha]);
  expect(new Map(client(partial))).toEqual(new Map(client(full)));
}

afterAll(() => rmSync(live, { recursive: true, force: true }));

describe('data-change rebuild', { timeout: 240_000 }, () => {
  let before = new Map<string, { ino: number; sha: string }>();

  it('a full build records every catalogue route key, and the keys file is not deployed', () => {
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    const record = JSON.parse(readFileSync(join(current(), 'hangar-build.json'), 'utf8')) as { routeKeys?: Record<string, string> };
    expect(Object.keys(record.routeKeys ?? {})).toContain('/aircraft/boeing-747-400/');
    expect(Object.keys(record.routeKeys ?? {})).toContain('/manufacturer/boeing/');
    expect(existsSync(join(current(), 'client', 'hangar-route-keys.json'))).toBe(false);
    before = files(current());
  });

  it('one changed aircraft: only its pages, the whole-catalogue pages and the search index are new; everything else is the live file', () => {
    const first = current();
    const record = JSON.parse(readFileSync(aircraftFile('boeing-747-400'), 'utf8')) as Record<string, unknown>;
    writeFileSync(aircraftFile('boeing-747-400'), JSON.stringify({ ...record, cruiseSpeedKmh: 907, history: `${String(record.history)} Its upper deck was stretched for the -400.` }, null, 2));
    const result = buildSite(env({ HANGAR_DATA_CHANGES: 'aircraft:boeing-747-400' }));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('(data change; the consumer named aircraft:boeing-747-400; search re-indexed');
    const after = files(current());
    const changed = [...after].filter(([rel, f]) => before.get(rel)?.ino !== f.ino).map(([rel]) => rel);
    expect(changed.filter((rel) => !rel.startsWith('client/pagefind/')).sort()).toEqual([
      'client/aircraft/boeing-747-400.json',
      'client/aircraft/boeing-747-400/index.html',
      'client/designators.json',
      'client/index.html',
      'client/popular/index.html',
      'client/popularity.json',
      'client/search/index.html',
      'deploy-manifest.json',
      'hangar-build.json',
    ]);
    for (const [rel, f] of after) if (!changed.includes(rel)) expect(f.sha, rel).toBe(before.get(rel)?.sha);
    expect(readFileSync(join(current(), 'client/aircraft/boeing-747-400/index.html'), 'utf8')).toContain('Its upper deck was stretched');
    // The live build was never written through its links.
    expect(files(first)).toEqual(before);
    const manifest = JSON.parse(readFileSync(join(current(), 'deploy-manifest.json'), 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(manifest.files).sort()).toEqual([...after.keys()].filter((rel) => rel.startsWith('client/')).map((rel) => rel.slice('client/'.length)).sort());
  });

  it('renders the same bytes as a full build of the same data', () => {
    expectEqualToFullBuild();
  });

  it('an edit only to what search ignores (a source added) keeps the live search index, equal to a full build', () => {
    before = files(current());
    const record = JSON.parse(readFileSync(aircraftFile('boeing-747-400'), 'utf8')) as { sources: unknown[] };
    const source = { title: 'Boeing 747-400 airport compatibility document', url: 'https://www.boeing.com/commercial/airports/747.page', fields: ['lengthM', 'wingspanM'] };
    writeFileSync(aircraftFile('boeing-747-400'), JSON.stringify({ ...record, sources: [...record.sources, source] }, null, 2));
    const result = buildSite(env({ HANGAR_DATA_CHANGES: 'aircraft:boeing-747-400' }));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('search index kept');
    const after = files(current());
    expect(readFileSync(join(current(), 'client/aircraft/boeing-747-400/index.html'), 'utf8')).toContain('Boeing 747-400 airport compatibility document');
    expect(after.get('client/aircraft/boeing-747-400/index.html')?.ino).not.toBe(before.get('client/aircraft/boeing-747-400/index.html')?.ino);
    const search = [...after].filter(([rel]) => rel.startsWith('client/pagefind/'));
    expect(search.length).toBeGreaterThan(0);
    // Every search file is the live build's own inode: nothing was re-indexed or re-written.
    for (const [rel, f] of search) expect(f.ino, rel).toBe(before.get(rel)?.ino);
    expectEqualToFullBuild();
  });

  it('a removed aircraft: its pages are gone, its lists and the sitemap follow, and the result equals a full build', () => {
    before = files(current());
    rmSync(aircraftFile('airbus-a380-800'));
    const result = buildSite(env({ HANGAR_DATA_CHANGES: 'aircraft:airbus-a380-800' }));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/removed 3 \[\/aircraft\/airbus-a380-800\/ \/aircraft\/airbus-a380-800.json \/era\/2000s\/\] \(data change/);
    const build = current();
    expect(existsSync(join(build, 'client/aircraft/airbus-a380-800/index.html'))).toBe(false);
    expect(existsSync(join(build, 'client/aircraft/airbus-a380-800.json'))).toBe(false);
    expect(readFileSync(join(build, 'client/sitemap-0.xml'), 'utf8')).not.toContain('airbus-a380-800');
    expect(readFileSync(join(build, 'client/manufacturer/airbus/index.html'), 'utf8')).not.toContain('airbus-a380-800');
    const after = files(build);
    expect(after.get('client/manufacturer/airbus/index.html')?.ino).not.toBe(before.get('client/manufacturer/airbus/index.html')?.ino);
    // The only aircraft of the 2000s: its era page is gone too. A page that does not list it is the live one.
    expect(existsSync(join(build, 'client/era/2000s/index.html'))).toBe(false);
    expect(after.get('client/manufacturer/cessna/index.html')?.ino).toBe(before.get('client/manufacturer/cessna/index.html')?.ino);
    expectEqualToFullBuild();
  });

  it('an added aircraft gets its pages and sitemap entry, equal to a full build', () => {
    const source = JSON.parse(readFileSync(join(FIXTURES, 'aircraft', 'airbus-a380-800.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(aircraftFile('airbus-a380-800'), JSON.stringify(source, null, 2));
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('(data change');
    expect(existsSync(join(current(), 'client/aircraft/airbus-a380-800/index.html'))).toBe(true);
    expect(readFileSync(join(current(), 'client/sitemap-0.xml'), 'utf8')).toContain('/aircraft/airbus-a380-800/');
    expectEqualToFullBuild();
  });

  it('a failed render keeps the live site and leaves no half-built directory', () => {
    const kept = () => readdirSync(join(live, 'builds')).filter((n) => !n.startsWith('.')).sort();
    const builds = kept();
    const link = readlinkSync(join(live, 'current'));
    // A record the shared schema rejects: the bundle cannot render the catalogue.
    writeFileSync(aircraftFile('cessna-172-skyhawk'), JSON.stringify({ slug: 'cessna-172-skyhawk', name: 'Cessna 172' }));
    const result = buildSite(env());
    expect(result.status).toBe(1);
    expect(result.output).toContain('cessna-172-skyhawk');
    expect(result.output).toContain('the live site is unchanged');
    expect(readlinkSync(join(live, 'current'))).toBe(link);
    expect(kept()).toEqual(builds);
    expect(existsSync(join(live, 'build.lock'))).toBe(false);
  });
});
