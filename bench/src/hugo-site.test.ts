import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { generate, writeDataDir } from '../../scripts/data/synthetic.ts';
import { eraTerm, hugoPage, writeHugoSite } from './hugo-site.ts';

describe('eraTerm', () => {
  it('buckets first flights by period and copes with missing dates', () => {
    expect(eraTerm('1903-12-17')).toBe('pioneers');
    expect(eraTerm('1939-08-27')).toBe('interwar-and-ww2');
    expect(eraTerm('1969-02-09')).toBe('jet-age');
    expect(eraTerm('1988-02-22')).toBe('cold-war-and-after');
    expect(eraTerm('2005-04-27')).toBe('modern');
    expect(eraTerm(undefined)).toBe('unknown');
  });
});

describe('hugoPage', () => {
  it('writes JSON front matter with the taxonomies and the history as the body', () => {
    const page = hugoPage(
      { slug: 'x-1', name: 'X-1', manufacturer: 'bell', country: 'United States', roles: ['experimental'], firstFlight: '1946-01-19', history: 'Broke the sound barrier.' },
      'Bell Aircraft',
    );
    const [front, body] = page.split('\n\n');
    const meta = JSON.parse(front as string) as Record<string, unknown>;
    expect(meta).toMatchObject({ title: 'X-1', url: '/aircraft/x-1/', manufacturer: ['Bell Aircraft'], role: ['experimental'], era: ['jet-age'], date: '1946-01-19' });
    expect(body?.trim()).toBe('Broke the sound barrier.');
  });
});

describe('writeHugoSite', () => {
  const dir = tempDir('hugo-site-test-');

  it('writes one content page per aircraft beside the bench/hugo template', () => {
    writeDataDir(generate(5, 7), join(dir, 'data'));
    expect(writeHugoSite(join(dir, 'data'), join(dir, 'hugo'))).toBe(5);
    expect(readFileSync(join(dir, 'hugo', 'hugo.toml'), 'utf8')).toContain('[taxonomies]');
  });
});
