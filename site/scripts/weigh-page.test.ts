import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { assetsOf, inlineCode, weighPage } from './weigh-page.ts';

const client = tempDir('weigh-page-test-');
mkdirSync(join(client, '_astro'));
mkdirSync(join(client, 'a'));
writeFileSync(join(client, '_astro', 'app.js'), `import "./chunk.js";${'console.log(1);'.repeat(100)}`);
writeFileSync(join(client, '_astro', 'chunk.js'), 'export const x = 1;');
writeFileSync(join(client, '_astro', 'm.js'), 'export const m = 2;');
writeFileSync(join(client, '_astro', 'a.css'), 'p{color:red}');

describe('assetsOf', () => {
  it('finds local stylesheets, scripts, module preloads and their static imports, not remote ones', () => {
    const html = `<link rel="stylesheet" href="/_astro/a.css"><link rel=modulepreload href="/_astro/m.js">
      <link rel="icon" href="/favicon.svg"><script type="module" src="/_astro/app.js"></script>
      <script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="https://fonts.example/f.css">`;
    expect(assetsOf(client, html)).toEqual({ css: ['/_astro/a.css'], js: ['/_astro/m.js', '/_astro/app.js', '/_astro/chunk.js'] });
  });
});

describe('inlineCode', () => {
  it('takes inline styles and scripts but not JSON-LD or external scripts', () => {
    const html = '<style>a{b:c}</style><script>go()</script><script type="application/ld+json">{"a":1}</script><script src="/x.js"></script>';
    expect(inlineCode(html)).toEqual({ css: 'a{b:c}', js: 'go()' });
  });
});

describe('weighPage', () => {
  it('adds what a page loads to its weight, raw and brotli, and compresses the lot', () => {
    writeFileSync(join(client, 'index.html'), '<html><link rel="stylesheet" href="/_astro/a.css"><script type="module" src="/_astro/app.js"></script><script>go()</script></html>');
    writeFileSync(join(client, 'a', 'index.html'), '<html><p>plain</p></html>');
    const full = weighPage(client, 'index.html');
    const plain = weighPage(client, 'a/index.html');
    expect(full.raw.js).toBe(`import "./chunk.js";`.length + 1500 + 'export const x = 1;'.length + 'go()'.length);
    expect(full.raw.css).toBe('p{color:red}'.length);
    expect(full.jsBytes).toBeGreaterThan(0);
    expect(full.jsBytes).toBeLessThan(full.raw.js);
    expect(full.total).toBe(full.htmlBytes + full.cssBytes + full.jsBytes);
    expect(plain).toMatchObject({ cssBytes: 0, jsBytes: 0, raw: { css: 0, js: 0 } });
  });
});
