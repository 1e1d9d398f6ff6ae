import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assetsOf, inlineBytes, pageWeights } from './page-weight.ts';

describe('assetsOf', () => {
  it('finds local stylesheets, scripts and module preloads, not remote ones', () => {
    const html = `<link rel="stylesheet" href="/_astro/a.css"><link rel=modulepreload href="/_astro/m.js">
      <link rel="icon" href="/favicon.svg"><script type="module" src="/_astro/b.js"></script>
      <script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="https://fonts.example/f.css">`;
    expect(assetsOf(html)).toEqual({ css: ['/_astro/a.css'], js: ['/_astro/m.js', '/_astro/b.js'] });
  });
});

describe('pageWeights', () => {
  const dist = mkdtempSync(join(tmpdir(), 'page-weight-test-'));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('adds the assets a page loads to its weight and compresses the lot', () => {
    mkdirSync(join(dist, '_astro'));
    mkdirSync(join(dist, 'a'));
    writeFileSync(join(dist, '_astro', 'app.js'), 'console.log(1);'.repeat(100));
    writeFileSync(join(dist, 'index.html'), '<html><script type="module" src="/_astro/app.js"></script></html>');
    writeFileSync(join(dist, 'a', 'index.html'), '<html><p>plain</p></html>');
    const byPage = Object.fromEntries(pageWeights(dist).map((w) => [w.page, w]));
    expect(byPage['index.html']?.js).toBe(1500);
    expect(byPage['a/index.html']?.js).toBe(0);
    expect(byPage['index.html']?.brotli).toBeLessThan(1500);
    expect(byPage['index.html']?.brotli).toBeGreaterThan(0);
  });
});

describe('inlineBytes', () => {
  it('counts inline styles and scripts but not JSON-LD or external scripts', () => {
    const html = '<style>a{b:c}</style><script>go()</script><script type="application/ld+json">{"a":1}</script><script src="/x.js"></script>';
    expect(inlineBytes(html)).toEqual({ css: 6, js: 4 });
  });
});
