import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/harness.ts';
import { validateHtml } from './validate-html.ts';

const page = (body: string, after = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>${after}`;

describe('validateHtml (Nu HTML Checker)', { timeout: 60_000 }, () => {
  it('reports a script after </html> by page and passes a valid page, whichever JVM checked it', async () => {
    const dir = tempDir('vnu');
    mkdirSync(join(dir, 'aircraft', 'x'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), page('<p>ok</p><script type="module" src="/a.js"></script>'));
    writeFileSync(join(dir, 'aircraft', 'x', 'index.html'), page('<p>x</p>', '<script type="module" src="/a.js"></script>'));
    const { pages, errors } = await validateHtml(dir, 2);
    expect(pages).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^aircraft\/x\/index\.html:1: Stray start tag “script”/);
    expect(errors.every((e) => e.startsWith('aircraft/x/index.html:'))).toBe(true);
  });

  it('refuses an empty directory instead of calling it valid', async () => {
    await expect(validateHtml(tempDir('vnu-empty'))).rejects.toThrow(/No \.html files/);
  });
});
