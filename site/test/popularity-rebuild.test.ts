import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Popularity } from '@hangarstack/shared';
import { buildSite, files, FIXTURES, tempDir, testLiveDir } from './harness.ts';
import { askWorker, rebuildSocket } from '@hangarstack/shared/rebuild-worker';

/**
 * The popularity-only rebuild through build-and-swap.ts on the fixture catalogue: it renders
 * only the routes whose shown values changed, through the live build's server bundle, into a
 * hard-linked copy of the live build; the result equals a full build; a failed render keeps
 * the live site.
 */
const live = testLiveDir('partial');
const cache = join(tempDir('partial-cache'), 'astro');
const popularityFile = join(tempDir('partial-pop'), 'popularity.json');
const env = (over: Record<string, string> = {}) => ({
  HANGAR_DATA_DIR: FIXTURES,
  POPULARITY_FILE: popularityFile,
  PUBLIC_COLLECTOR_URL: 'http://127.0.0.1:9',
  SITE_URL: 'https://hangar.example',
  HANGAR_LIVE_DIR: live,
  ASTRO_CACHE_DIR: cache,
  ...over,
});
const fixture = (): Popularity => JSON.parse(readFileSync(join(FIXTURES, 'popularity.json'), 'utf8')) as Popularity;
const current = () => realpathSync(join(live, 'current'));

afterAll(() => rmSync(live, { recursive: true, force: true }));

describe('popularity-only rebuild', { timeout: 240_000 }, () => {
  let first = '';
  let firstFiles = new Map<string, { ino: number; sha: string }>();

  it('a full build records its data/code digests and per-route signatures', () => {
    writeFileSync(popularityFile, JSON.stringify(fixture()));
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('✓ site built');
    first = current();
    firstFiles = files(first);
    const record = JSON.parse(readFileSync(join(first, 'hangar-build.json'), 'utf8')) as { signatures: Record<string, string> };
    expect(record.signatures['/aircraft/aerospatiale-bac-concorde/']).toBe('1:100');
  });

  it('starts a render worker, which takes the rebuild right after the full build (the command waits for it to load)', () => {
    // The snapshot is unchanged: only /popularity.json is rendered. Without the wait, the command
    // would load the bundle itself ("bundle loaded in-process").
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('re-rendered 1 routes (popularity only;');
    expect(result.output).toMatch(/\(render worker; the copy ready after \d+\.\d\d s, the routes rendered after \d+\.\d\d s\)/);
    const rebuilt = current();
    expect(rebuilt).not.toBe(first);
    const rebuiltFiles = files(rebuilt);
    expect([...rebuiltFiles].filter(([rel, f]) => firstFiles.get(rel)?.ino !== f.ino).map(([rel]) => rel).sort()).toEqual(['client/popularity.json', 'deploy-manifest.json', 'hangar-build.json']);
    first = rebuilt;
    firstFiles = rebuiltFiles;
  });

  it('the worker links a spare copy of the live build for the next rebuild', async () => {
    // The spare is the worker's last step after loading and warming up the bundle.
    const spare = join(live, 'builds', `.spare-${basename(first)}`);
    const deadline = Date.now() + 120_000;
    while (!existsSync(spare) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(spare)).toBe(true);
    // Every file but the record and manifest, as the same inodes.
    const spareFiles = files(spare);
    expect([...spareFiles.keys()].sort()).toEqual([...firstFiles.keys()].filter((rel) => rel !== 'hangar-build.json' && rel !== 'deploy-manifest.json').sort());
    for (const [rel, f] of spareFiles) expect(f.ino, rel).toBe(firstFiles.get(rel)?.ino);
  });

  it('renders only the changed routes; every other file is the live one, hard-linked and byte-identical', () => {
    const pop = fixture();
    const concorde = pop.aircraft['aerospatiale-bac-concorde'];
    const f16 = pop.aircraft['general-dynamics-f-16c'];
    if (!concorde || !f16) throw new Error('fixture popularity lacks concorde or f-16c');
    // Swap the top two: their pages, the home page and /popular/ change; the 747 (#3) does not.
    // The Cessna (no rank) gains a "Visitors also viewed" list and the home page popular facets:
    // both pages are re-rendered too.
    writeFileSync(
      popularityFile,
      JSON.stringify({
        ...pop,
        generatedAt: new Date().toISOString(),
        aircraft: { ...pop.aircraft, 'aerospatiale-bac-concorde': { ...concorde, rank: 2 }, 'general-dynamics-f-16c': { ...f16, rank: 1, visitors: { ...f16.visitors, d7: 500 } } },
        popular: ['general-dynamics-f-16c', 'aerospatiale-bac-concorde', ...pop.popular.slice(2)],
        alsoViewed: { 'cessna-172-skyhawk': ['retired-from-catalogue', 'supermarine-spitfire-mk-ix'] },
        facets: { manufacturers: [{ id: 'airbus', visitors: 9 }, { id: 'no-such-maker', visitors: 8 }], roles: [{ id: 'airliner', visitors: 9 }], eras: [{ id: '1960s', visitors: 5 }] },
      } satisfies Popularity),
    );
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('re-rendered 6 routes (popularity only; the spare hard-linked copy of the live build');
    expect(result.output).toMatch(/\(render worker; the copy ready after \d+\.\d\d s, the routes rendered after \d+\.\d\d s\)/);
    const second = current();
    expect(second).not.toBe(first);
    const after = files(second);
    const changed = [...after].filter(([rel, f]) => firstFiles.get(rel)?.ino !== f.ino).map(([rel]) => rel).sort();
    expect(changed).toEqual([
      'client/aircraft/aerospatiale-bac-concorde/index.html',
      'client/aircraft/cessna-172-skyhawk/index.html',
      'client/aircraft/general-dynamics-f-16c/index.html',
      'client/index.html',
      'client/popular/index.html',
      'client/popularity.json',
      'deploy-manifest.json',
      'hangar-build.json',
    ]);
    for (const [rel, f] of after) if (!changed.includes(rel)) expect(f.sha, rel).toBe(firstFiles.get(rel)?.sha);
    expect([...firstFiles.keys()].filter((rel) => !after.has(rel))).toEqual([]);
    // The live build was never written through its links.
    expect(files(first)).toEqual(firstFiles);
    expect(readFileSync(join(second, 'client/aircraft/general-dynamics-f-16c/index.html'), 'utf8')).toContain('#1 this week');
    expect(readFileSync(join(second, 'client/aircraft/general-dynamics-f-16c/index.html'), 'utf8')).toContain('500+ visitors this week');
    // Co-views replace the curated list; a partner the catalogue lacks is skipped.
    const cessna = readFileSync(join(second, 'client/aircraft/cessna-172-skyhawk/index.html'), 'utf8');
    expect(cessna).toContain('Visitors also viewed');
    expect(cessna).toContain('href="/aircraft/supermarine-spitfire-mk-ix/"');
    expect(cessna).not.toContain('retired-from-catalogue');
    expect(readFileSync(join(second, 'client/aircraft/boeing-747-400/index.html'), 'utf8')).toContain('Related aircraft');
    const home = readFileSync(join(second, 'client/index.html'), 'utf8');
    expect(home).toContain('Popular with visitors this week');
    for (const href of ['/manufacturer/airbus/', '/role/airliner/', '/era/1960s/']) expect(home).toMatch(new RegExp(`<section[^>]*data-facets[\\s\\S]*href="${href}"`));
    expect(home).not.toContain('no-such-maker');
  });

  it('recycles the build it prunes into the next spare: only the files rendered since differ, linked from the live build', async () => {
    // Two more rebuilds through the worker (back to the fixture's ranks, then swapped again):
    // each prunes the oldest build, which the worker made the live one from in steps it knows.
    const swapped = readFileSync(popularityFile, 'utf8');
    for (const snapshot of [JSON.stringify(fixture()), swapped]) {
      writeFileSync(popularityFile, snapshot);
      const result = buildSite(env());
      expect(result.status, result.output).toBe(0);
      expect(result.output).toMatch(/\(render worker; the copy ready after \d+\.\d\d s, the routes rendered after \d+\.\d\d s\)/);
    }
    const live = current();
    const spare = join(live, '..', `.spare-${basename(live)}`);
    const deadline = Date.now() + 60_000;
    while (!existsSync(spare) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const liveFiles = files(live);
    const spareFiles = files(spare);
    expect([...spareFiles.keys()].sort()).toEqual([...liveFiles.keys()].filter((rel) => rel !== 'hangar-build.json' && rel !== 'deploy-manifest.json').sort());
    for (const [rel, f] of spareFiles) expect(f.ino, rel).toBe(liveFiles.get(rel)?.ino);
    const logs = readdirSync(join(live, '..', '..', 'workers'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(d.parentPath, d.name, 'worker.log')).filter((f) => existsSync(f));
    expect(logs.map((f) => readFileSync(f, 'utf8')).join('')).toMatch(new RegExp(`spare of \\S*${basename(live)} recycled from an old build \\(\\d+ files linked\\)`));
  });

  it('renders the same bytes as a full build of the same snapshot', () => {
    const partial = current();
    const result = buildSite(env(), ['--full']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('✓ site built');
    const full = files(current());
    const client = [...files(partial)].filter(([rel]) => rel.startsWith('client/'));
    expect(client.length).toBe([...full.keys()].filter((rel) => rel.startsWith('client/')).length);
    for (const [rel, f] of client) expect(f.sha, rel).toBe(full.get(rel)?.sha);
  });

  it('SIGTERM stops the worker and removes its socket and directory', async () => {
    const socket = rebuildSocket(live);
    const hello = await askWorker<{ pid: number; key: string }>(socket, { op: 'hello' });
    if (!hello) throw new Error('no render worker answers');
    process.kill(hello.pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    const alive = () => {
      try {
        process.kill(hello.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(live, 'workers', hello.key))).toBe(false);
  });

  it('without a worker (RENDER_WORKER_IDLE_MS=0) it links the copy itself and loads the bundle in-process, to the same bytes', () => {
    const before = current();
    const beforeFiles = files(before);
    // Back to the fixture's snapshot: the same six routes change again.
    writeFileSync(popularityFile, JSON.stringify(fixture()));
    const result = buildSite(env({ RENDER_WORKER_IDLE_MS: '0' }));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/re-rendered 6 routes \(popularity only; \d+ files hard-linked from the live build/);
    expect(result.output).toMatch(/\(bundle loaded in-process; the copy ready after \d+\.\d\d s, the routes rendered after \d+\.\d\d s\)/);
    const after = files(current());
    const changed = [...after].filter(([rel, f]) => beforeFiles.get(rel)?.ino !== f.ino).map(([rel]) => rel);
    expect(changed).toHaveLength(8);
    // The first build rendered the fixture's snapshot in full: the same client bytes.
    for (const [rel, f] of after) if (rel.startsWith('client/')) expect(f.sha, rel).toBe(firstFiles.get(rel)?.sha);
  });

  it('takes the same path from a live dir carried to a fresh runner as an archive (rebuild.yml restores it with actions/cache)', async () => {
    const archive = join(tempDir('partial-archive'), 'live.tar');
    // Once old builds are deleted (a detached process does it; rebuild.yml waits for it too), tar
    // keeps the `current` symlink and the hard links between builds, as the cache's archive does.
    const deleting = () => readdirSync(join(live, 'builds')).some((name) => name.startsWith('.trash-'));
    for (const until = Date.now() + 60_000; deleting() && Date.now() < until; ) await sleep(50);
    const packed = spawnSync('tar', ['-C', live, '-cf', archive, '.'], { encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    rmSync(live, { recursive: true });
    mkdirSync(live);
    expect(spawnSync('tar', ['-C', live, '-xf', archive]).status).toBe(0);
    writeFileSync(popularityFile, JSON.stringify({ ...fixture(), generatedAt: new Date().toISOString() }));
    const result = buildSite(env({ RENDER_WORKER_IDLE_MS: '0' }));
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/re-rendered 1 routes \(popularity only; \d+ files hard-linked from the live build/);
    expect(result.output).toMatch(/\(bundle loaded in-process; the copy ready after \d+\.\d\d s, the routes rendered after \d+\.\d\d s\)/);
  });

  it('a failed render keeps the live site and leaves no half-built directory', () => {
    const before = readlinkSync(join(live, 'current'));
    // Hidden .trash-* directories are old builds being deleted in the background.
    const kept = () => readdirSync(join(live, 'builds')).filter((n) => !n.startsWith('.')).sort();
    const builds = kept();
    // A live build whose record lists an aircraft its bundle cannot render (a damaged record).
    const recordFile = join(current(), 'hangar-build.json');
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { slugs: string[] };
    writeFileSync(recordFile, JSON.stringify({ ...record, slugs: [...record.slugs, 'ghost-plane'] }));
    const pop = fixture();
    writeFileSync(popularityFile, JSON.stringify({ ...pop, aircraft: { ...pop.aircraft, 'ghost-plane': { views: { h24: 1, d7: 9, d30: 9 }, visitors: { h24: 1, d7: 9, d30: 9 }, trending: 0, rank: 4 } } }));
    const result = buildSite(env());
    expect(result.status).toBe(1);
    expect(result.output).toContain('/aircraft/ghost-plane/: 404');
    expect(result.output).toContain("did not render through the live build's server bundle");
    expect(result.output).toContain('the live site is unchanged');
    expect(readlinkSync(join(live, 'current'))).toBe(before);
    expect(kept()).toEqual(builds);
    expect(existsSync(join(live, 'build.lock'))).toBe(false);
  });

  it('the worker stops when the live dir is removed mid-spare, and re-creates nothing in it', async () => {
    // No worker runs (SIGTERM above, then builds without one): a rebuild in-process starts one.
    writeFileSync(popularityFile, JSON.stringify(fixture()));
    const result = buildSite(env());
    expect(result.status, result.output).toBe(0);
    const socket = rebuildSocket(live);
    const up = Date.now() + 60_000;
    while (!(await askWorker(socket, { op: 'hello' })) && Date.now() < up) await new Promise((r) => setTimeout(r, 100));
    // A spare of the live build being linked while the dir is deleted (a test stopping its stack).
    expect(await askWorker(socket, { op: 'spare', build: current() })).toEqual({ ok: true });
    const deadline = Date.now() + 20_000;
    // The worker links into builds/ while this removes the tree: one removal can miss entries it
    // adds meanwhile and return with the tree half there (seen on a quiet machine), so remove
    // until it is gone, as a stack stopping would.
    while (existsSync(live) && Date.now() < deadline) rmSync(live, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    expect(existsSync(live)).toBe(false);
    while (existsSync(socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(socket)).toBe(false);
    // Its spare linking failed with the directories gone instead of making them again, and it
    // exited without bringing anything back (it checks the live dir once a second).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(existsSync(live)).toBe(false);
  });
});
