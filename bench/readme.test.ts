import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { section } from '@hangarstack/testing/markdown';
import { benchParts } from './src/parts.ts';

const readme = readFileSync(new URL('README.md', import.meta.url), 'utf8');

describe('bench/README.md', () => {
  it('describes exactly the parts --only accepts', () => {
    const parts = benchParts().map((p) => p.name);
    const described = [...section(readme, 'Parts').matchAll(/^- \*\*([\w-]+)\*\*:/gm)].map((m) => m[1] ?? '');
    expect(parts.length).toBeGreaterThanOrEqual(7);
    expect(new Set(parts).size).toBe(parts.length);
    expect([...described].sort()).toEqual([...parts].sort());
  });
});
