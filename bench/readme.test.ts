import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { section } from '@hangarstack/testing/markdown';
import { integratedModules } from './src/integrated.ts';

const readme = readFileSync(new URL('README.md', import.meta.url), 'utf8');
const main = readFileSync(new URL('main.ts', import.meta.url), 'utf8');

describe('bench/README.md', () => {
  it('describes exactly the parts --only accepts', () => {
    const parts = [...main.matchAll(/\bpart\('([\w-]+)'/g)].map((m) => m[1] ?? '');
    parts.push(...integratedModules().map((m) => m.name));
    const described = [...section(readme, 'Parts').matchAll(/^- \*\*([\w-]+)\*\*:/gm)].map((m) => m[1] ?? '');
    expect(parts.length).toBeGreaterThanOrEqual(7);
    expect([...described].sort()).toEqual([...new Set(parts)].sort());
  });
});
