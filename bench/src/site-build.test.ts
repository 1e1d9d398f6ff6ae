import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { popularitySchema } from '@hangarstack/shared';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { countPages, popularityFor } from './site-build.ts';

describe('popularityFor', () => {
  it('makes a snapshot the site accepts, ranked in the given order', () => {
    const p = popularityFor(['b-52', 'a-10', 'f-16'], Date.UTC(2026, 10, 23));
    expect(popularitySchema.safeParse(p).success).toBe(true);
    expect(p.popular).toEqual(['b-52', 'a-10', 'f-16']);
    expect(p.aircraft['a-10']?.rank).toBe(2);
    expect(p.aircraft['b-52']?.visitors.d7).toBeGreaterThan(p.aircraft['f-16']?.visitors.d7 ?? Infinity);
  });
});

describe('countPages', () => {
  const dir = tempDir('count-pages-test-');

  it('counts HTML files at every depth and nothing else', () => {
    mkdirSync(join(dir, 'aircraft', 'x'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '');
    writeFileSync(join(dir, 'aircraft', 'x', 'index.html'), '');
    writeFileSync(join(dir, 'aircraft', 'x', 'data.json'), '');
    expect(countPages(dir)).toBe(2);
  });
});
