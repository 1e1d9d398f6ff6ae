import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { manifestOf } from '../../scripts/deploy-manifest.ts';
import { contentHash } from '../../scripts/file-hashes.ts';
import { deployManifest } from './deploy-manifest-integration.ts';
import { PageHashes } from './page-hashes.ts';

type Hook = (params: { dir: URL }) => unknown;

/** A client dir as generate leaves it, with Pagefind still writing its index. */
function generated() {
  const build = tempDir('hangar-deploy-manifest-');
  const client = join(build, 'client');
  mkdirSync(join(client, 'pagefind'), { recursive: true });
  mkdirSync(join(client, 'aircraft', 'a'), { recursive: true });
  mkdirSync(join(client, '_astro'), { recursive: true });
  writeFileSync(join(client, 'aircraft', 'a', 'index.html'), 'page');
  writeFileSync(join(client, 'aircraft', 'a.json'), '{"sheet":1}');
  writeFileSync(join(client, '404.html'), 'not found');
  writeFileSync(join(client, '_astro', 'page.js'), 'code');
  writeFileSync(join(client, 'keys.json'), 'route keys');
  writeFileSync(join(client, 'pagefind', 'fragment.pf'), '');
  return { build, client, dir: pathToFileURL(`${client}/`) };
}

/** The manifest a full read of the build gives, without the skipped route keys. */
const expected = (build: string) => {
  const manifest = manifestOf(build);
  delete manifest.files['keys.json'];
  return manifest;
};

describe('deployManifest', () => {
  it("hashes a late dir once its writer says it is written, though it was being written at build:generated", async () => {
    const { build, client, dir } = generated();
    let written: () => void = () => undefined;
    const pagefind = new Promise<void>((resolve) => (written = resolve));
    const hooks = deployManifest({ skip: ['keys.json'], late: [{ dir: 'pagefind', written: () => pagefind }] }).hooks as Record<string, Hook>;
    await hooks['astro:build:start']?.({ dir });
    await hooks['astro:build:generated']?.({ dir });
    // Give an early read of the half-written dir every chance to happen.
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(join(client, 'pagefind', 'fragment.pf'), 'the written fragment');
    writeFileSync(join(client, 'pagefind', 'entry.json'), '{}');
    written();
    await hooks['astro:build:done']?.({ dir });
    expect(JSON.parse(readFileSync(join(build, 'deploy-manifest.json'), 'utf8'))).toEqual(expected(build));
  });

  it('takes a rendered page’s hash from the bytes the prerenderer handed Astro, and reads every other file', async () => {
    const { build, client, dir } = generated();
    const pages = new PageHashes();
    const hooks = deployManifest({ pages, skip: ['keys.json'], late: [{ dir: 'pagefind', written: async () => undefined }] }).hooks as Record<string, Hook>;
    await hooks['astro:build:start']?.({ dir });
    pages.record('/aircraft/a/', Buffer.from('page as rendered'));
    pages.record('/aircraft/a.json', Buffer.from('{"sheet":1}'));
    // Astro writes the 404 route to 404.html, not where a page of that path would go: read from disk.
    pages.record('/404/', Buffer.from('a 404 the manifest must not use'));
    await hooks['astro:build:generated']?.({ dir });
    await hooks['astro:build:done']?.({ dir });
    const manifest = JSON.parse(readFileSync(join(build, 'deploy-manifest.json'), 'utf8')) as { files: Record<string, string> };
    // The page file on disk says 'page': the recorded bytes are what the manifest has, so the file was not read.
    expect(manifest.files['aircraft/a/index.html']).toBe(contentHash(Buffer.from('page as rendered')));
    expect({ ...manifest.files, 'aircraft/a/index.html': '' }).toEqual({ ...expected(build).files, 'aircraft/a/index.html': '' });
    expect(readFileSync(join(client, '404.html'), 'utf8')).toBe('not found');
  });

  it('forgets the pages of an earlier build in the same process, and reads a file two pages mapped to', async () => {
    const { build, dir } = generated();
    const pages = new PageHashes();
    const hooks = deployManifest({ pages, skip: ['keys.json'] }).hooks as Record<string, Hook>;
    pages.record('/aircraft/a.json', Buffer.from('an earlier build'));
    await hooks['astro:build:start']?.({ dir });
    pages.record('/aircraft/a/', Buffer.from('one'));
    pages.record('/aircraft/a/index.html', Buffer.from('two'));
    await hooks['astro:build:generated']?.({ dir });
    await hooks['astro:build:done']?.({ dir });
    expect(JSON.parse(readFileSync(join(build, 'deploy-manifest.json'), 'utf8'))).toEqual(expected(build));
  });
});
