import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { boundCompileCache, buildCompileCache } from './compile-cache.ts';

const SITE = fileURLToPath(new URL('..', import.meta.url));

/** A cache dir laid out as Node's (one subdirectory per Node version and flags) with `count` entries in each of two. */
function cacheWith(count: number): string {
  const dir = join(tempDir('compile-cache-test-'), 'cache');
  for (const version of ['v24-x64-0', 'v24-x64-1']) {
    mkdirSync(join(dir, version), { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(join(dir, version, `entry${i}`), Buffer.alloc(100));
  }
  return dir;
}

describe('boundCompileCache', () => {
  it('keeps a cache within the bound and counts the entries of every version subdirectory', async () => {
    const dir = cacheWith(3);
    expect(await boundCompileCache(dir, 6)).toEqual({ entries: 6, removed: false });
    expect(existsSync(join(dir, 'v24-x64-1', 'entry2'))).toBe(true);
  });

  it('removes a cache past the bound, so the next build starts it afresh', async () => {
    const dir = cacheWith(3);
    expect(await boundCompileCache(dir, 5)).toEqual({ entries: 6, removed: true });
    expect(existsSync(dir)).toBe(false);
  });

  it('takes a missing cache as empty', async () => {
    expect(await boundCompileCache(join(tmpdir(), 'compile-cache-test-never-made'), 0)).toEqual({ entries: 0, removed: false });
  });
});

describe('buildCompileCache', () => {
  it('uses its own directory unless NODE_COMPILE_CACHE names one, which is then never bounded', () => {
    expect(buildCompileCache({})).toEqual({ dir: join(SITE, 'node_modules', '.cache', 'hangarstack-compile-cache'), ours: true });
    expect(buildCompileCache({ NODE_COMPILE_CACHE: '/somewhere' })).toEqual({ dir: '/somewhere', ours: false });
  });
});

describe('the rebuild command (build-and-swap.ts → build-and-swap.mjs)', () => {
  it('is plain JavaScript behind its .ts name and turns the same cache on before its first TypeScript import', () => {
    const entry = join(SITE, 'scripts', 'build-and-swap.ts');
    expect(lstatSync(entry).isSymbolicLink()).toBe(true);
    expect(readlinkSync(entry)).toBe('build-and-swap.mjs');
    const source = readFileSync(entry, 'utf8');
    const dir = /enableCompileCache\(process\.env\.NODE_COMPILE_CACHE \|\| fileURLToPath\(new URL\('([^']+)', import\.meta\.url\)\)\)/.exec(source)?.[1];
    expect(dir && fileURLToPath(new URL(dir, pathToFileURL(join(SITE, 'scripts', 'build-and-swap.mjs'))))).toBe(buildCompileCache({}).dir);
    expect(source.indexOf('enableCompileCache(')).toBeLessThan(source.indexOf("import('./"));
  });

  it('fills a chosen NODE_COMPILE_CACHE with the TypeScript modules it loads', () => {
    const cache = join(tempDir('compile-cache-cmd-'), 'cache');
    const live = tempDir('compile-cache-live-');
    const run = spawnSync(process.execPath, [join(SITE, 'scripts', 'build-and-swap.ts'), 'rollback'], { env: { ...process.env, NODE_COMPILE_CACHE: cache, HANGAR_LIVE_DIR: live }, encoding: 'utf8' });
    expect(run.stderr).toContain('No earlier build to roll back to');
    expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(10);
  });
});
