import { cpSync, existsSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, FIXTURES, SITE_DIR, tempDir, testLiveDir } from './harness.ts';

/**
 * Real builds of the fixture catalogue through build-and-swap.ts: what reaches the pages from
 * the popularity file, and that bad input fails the build with a useful message while the
 * live site stays as it was.
 */
const live = testLiveDir('build');
const cache = join(tempDir('build-cache'), 'astro');
const env = (over: Record<string, string> = {}) => ({
  HANGAR_DATA_DIR: FIXTURES,
  POPULARITY_FILE: join(FIXTURES, 'popularity.json'),
  PUBLIC_COLLECTOR_URL: 'http://127.0.0.1:9',
  SITE_URL: 'https://hangar.example',
  HANGAR_LIVE_DIR: live,
  ASTRO_CACHE_DIR: cache,
  ...over,
});
const page = (path: string) => readFileSync(join(live, 'current', 'client', path), 'utf8');

afterAll(() => rmSync(live, { recursive: true, force: true }));

describe('build-and-swap', { timeout: 240_000 }, () => {
  it('builds without a popularity file, with neutral lists', () => {
    const result = buildSite(env({ POPULARITY_FILE: join(tempDir('none'), 'absent.json') }));
    expect(result.status, result.output).toBe(0);
    const home = page('index.html');
    expect(home).toContain('Start here');
    expect(home).not.toContain('Popular now');
    expect(page('aircraft/aerospatiale-bac-concorde/index.html')).toContain('not ranked yet');
  });

  it('bakes rank and visitors into pages, canonical URLs, JSON-LD and a sitemap', () => {
    const first = readlinkSync(join(live, 'current'));
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    expect(readlinkSync(join(live, 'current'))).not.toBe(first);
    const concorde = page('aircraft/aerospatiale-bac-concorde/index.html');
    expect(concorde).toContain('#1 this week');
    expect(concorde).toContain('100+ visitors this week');
    expect(concorde).toContain('<link rel="canonical" href="https://hangar.example/aircraft/aerospatiale-bac-concorde/">');
    expect(concorde).toContain('"@type":"Product"');
    expect(concorde).toContain('property="og:title"');
    // A slug the catalogue no longer has is dropped from the lists, not rendered as a broken card.
    expect(page('index.html')).not.toContain('retired-from-catalogue');
    expect(page('sitemap-0.xml')).toContain('https://hangar.example/aircraft/boeing-747-400/');
    expect(existsSync(join(live, 'current', 'client', 'pagefind', 'pagefind.js'))).toBe(true);
  });

  it('fails on an invalid popularity file, naming the field, and keeps the live site', () => {
    const before = readlinkSync(join(live, 'current'));
    const bad = join(tempDir('pop'), 'popularity.json');
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(join(FIXTURES, 'popularity.json'), 'utf8')), popular: 'concorde' }));
    const result = buildSite(env({ POPULARITY_FILE: bad }));
    expect(result.status).toBe(1);
    expect(result.output).toContain('does not match the popularity schema');
    expect(result.output).toMatch(/popular: /);
    expect(result.output).toContain('the live site is unchanged');
    expect(readlinkSync(join(live, 'current'))).toBe(before);
  });

  it('fails on a bad aircraft record, naming the file and the field', () => {
    const data = tempDir('data');
    cpSync(FIXTURES, data, { recursive: true });
    const file = join(data, 'aircraft', 'boeing-747-400.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), mtowKg: 'heavy' }));
    const result = buildSite(env({ HANGAR_DATA_DIR: data }));
    expect(result.status).toBe(1);
    expect(result.output).toContain('boeing-747-400');
    expect(result.output).toContain('mtowKg');
  });

  it('rolls back to the previous build', () => {
    const before = readlinkSync(join(live, 'current'));
    const result = spawnSync(process.execPath, [join(SITE_DIR, 'scripts', 'build-and-swap.ts'), 'rollback'], {
      env: { ...process.env, HANGAR_LIVE_DIR: live },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const after = readlinkSync(join(live, 'current'));
    expect(after).not.toBe(before);
    expect(after < before).toBe(true);
  });
});
