import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundCompileCache, buildCompileCache } from './compile-cache.ts';

const SITE = fileURLToPath(new URL('..', import.meta.url));

/** A cache dir laid out as Node's (one subdirectory per Node version and flags) with `sizes` bytes per entry. */
function cacheWith(sizes: number[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'compile-cache-test-')), 'cache');
  const version = join(dir, 'v24-x64-0');
  mkdirSync(version, { recursive: true });
  sizes.forEach((size, i) => writeFileSync(join(version, `entry${i}`), Buffer.alloc(size)));
  return dir;
}

describe('boundCompileCache', () => {
  it('keeps a cache within the bound and counts every entry in the version subdirectories', async () => {
    const dir = cacheWith([400, 300, 300]);
    expect(await boundCompileCache(dir, 1000)).toEqual({ bytes: 1000, removed: false });
    expect(existsSync(join(dir, 'v24-x64-0', 'entry2'))).toBe(true);
  });

  it('removes a cache past the bound, so the next build starts it afresh', async () => {
    const dir = cacheWith([600, 401]);
    expect(await boundCompileCache(dir, 1000)).toEqual({ bytes: 1001, removed: true });
    expect(existsSync(dir)).toBe(false);
  });

  it('takes a missing cache as empty', async () => {
    expect(await boundCompileCache(join(tmpdir(), 'compile-cache-test-never-made'), 0)).toEqual({ bytes: 0, removed: false });
  });
});

describe('buildCompileCache', () => {
  it('uses its own directory unless NODE_COMPILE_CACHE names one, which is then never bounded', () => {
    expect(buildCompileCache({})).toEqual({ dir: join(SITE, 'node_modules', '.cache', 'hangarstack-compile-cache'), ours: true });
    expect(buildCompileCache({ NODE_COMPILE_CACHE: '/somewhere' })).toEqual({ dir: '/somewhere', ours: false });
  });
});
