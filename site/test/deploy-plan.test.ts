import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Popularity } from '@hangarstack/shared';
import { manifestOf } from '../scripts/deploy-manifest.ts';
import { buildSite, FIXTURES, SITE_DIR, tempDir, testLiveDir } from './harness.ts';

/**
 * deploy-plan.ts --dry-run between real builds of the fixture catalogue: after a popularity-only
 * rebuild it uploads and invalidates just the re-rendered pages; after a data change that
 * removes an aircraft it deletes that aircraft's files; hashed assets are never invalidated.
 */
const live = testLiveDir('deploy');
const cache = join(tempDir('deploy-cache'), 'astro');
const popularityFile = join(tempDir('deploy-pop'), 'popularity.json');
const data = tempDir('deploy-data');
cpSync(FIXTURES, data, { recursive: true });
const env = () => ({ HANGAR_DATA_DIR: data, POPULARITY_FILE: popularityFile, PUBLIC_COLLECTOR_URL: 'http://127.0.0.1:9', SITE_URL: 'https://hangar.example', HANGAR_LIVE_DIR: live, ASTRO_CACHE_DIR: cache });
const fixture = (): Popularity => JSON.parse(readFileSync(join(FIXTURES, 'popularity.json'), 'utf8')) as Popularity;

/** Builds, returns the new build directory. */
function build(): string {
  const result = buildSite(env());
  expect(result.status, result.output).toBe(0);
  return realpathSync(join(live, 'current'));
}

/** The dry-run plan from `from`'s manifest to `to`, as printed lines grouped by verb. */
function dryRun(from: string, to: string) {
  const result = spawnSync(process.execPath, [join(SITE_DIR, 'scripts', 'deploy-plan.ts'), '--previous', join(from, 'deploy-manifest.json'), '--build', to, '--dry-run'], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  const of = (verb: string) => lines.filter((l) => l.startsWith(`${verb} `)).map((l) => l.slice(verb.length + 1));
  return { summary: lines[0] ?? '', upload: of('upload'), uploadImmutable: of('upload-immutable'), delete: of('delete'), invalidate: of('invalidate') };
}

afterAll(() => rmSync(live, { recursive: true, force: true }));

describe('deploy plan (dry run) between real builds', { timeout: 300_000 }, () => {
  writeFileSync(popularityFile, JSON.stringify(fixture()));
  let first = '';
  let second = '';

  it('each build writes a manifest of its client files and their content hashes', () => {
    first = build();
    const manifest = JSON.parse(readFileSync(join(first, 'deploy-manifest.json'), 'utf8')) as { files: Record<string, string> };
    expect(manifest).toEqual(manifestOf(first));
    expect(Object.keys(manifest.files)).toContain('aircraft/boeing-747-400/index.html');
  });

  it('after a popularity-only rebuild: uploads and invalidates only the re-rendered pages', () => {
    const pop = fixture();
    writeFileSync(popularityFile, JSON.stringify({ ...pop, generatedAt: new Date().toISOString(), popular: ['boeing-747-400', ...pop.popular.filter((s) => s !== 'boeing-747-400')] }));
    second = build();
    // The updated manifest equals a fresh hash of the rebuilt tree.
    expect(JSON.parse(readFileSync(join(second, 'deploy-manifest.json'), 'utf8'))).toEqual(manifestOf(second));
    const plan = dryRun(first, second);
    expect(plan.upload).toEqual(['index.html', 'popular/index.html', 'popularity.json']);
    expect(plan.uploadImmutable).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.invalidate).toEqual(['/', '/index.html', '/popular/', '/popular/index.html', '/popularity.json']);
    expect(plan.summary).toBe('deploy plan: 3 to upload (0 immutable), 0 to delete, 5 paths to invalidate');
  });

  it('after a data change that removes an aircraft: deletes its files, never invalidates hashed assets', () => {
    rmSync(join(data, 'aircraft', 'cessna-172-skyhawk.json'));
    const third = build();
    const plan = dryRun(second, third);
    expect(plan.delete).toEqual(expect.arrayContaining(['aircraft/cessna-172-skyhawk/index.html', 'aircraft/cessna-172-skyhawk.json']));
    expect(plan.invalidate).toEqual(expect.arrayContaining(['/aircraft/cessna-172-skyhawk/']));
    expect(plan.invalidate.filter((p) => p.startsWith('/_astro/'))).toEqual([]);
    expect(plan.upload).not.toContain('aircraft/boeing-747-400.json');
  });
});
