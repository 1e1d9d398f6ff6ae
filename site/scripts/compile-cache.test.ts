import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundCompileCache, buildCompileCache } from './compile-cache.ts';

const SITE = fileURLToPath(new URL('..', import.meta.url));

/** A cache dir laid out as Node's (one subdirectory per Node version and flags) with `count` entries in each of two. */
function cacheWith(count: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'compile-cache-test-')), 'cache');
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
