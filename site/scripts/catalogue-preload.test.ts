import { describe, expect, it } from 'vitest';
import { dataDigest } from './build-record.ts';
import { preloadCatalogue } from './catalogue-preload.ts';
import { PRELOADED, readCollectionFiles } from '../src/lib/catalogue-files.ts';
import { loadSiteConfig } from '../src/lib/config.ts';

const FIXTURES = new URL('../test/fixtures/', import.meta.url).pathname.replace(/\/$/, '');
const config = loadSiteConfig({ HANGAR_DATA_DIR: FIXTURES }, process.cwd());

describe('the catalogue parsed off the main thread for the render worker (catalogue-preload.ts)', () => {
  it("hands the bundle's reader the collections it would have parsed, once, when the digest is the build's", async () => {
    const preload = preloadCatalogue(config.dataDir);
    await preload.done;
    expect(await preload.install(dataDigest(config))).toBe('installed');
    const preloaded = (globalThis as { [PRELOADED]?: Map<string, unknown> })[PRELOADED];
    const aircraft = preloaded?.get(`${config.dataDir}\0aircraft`);
    expect(aircraft).toBeDefined();
    // The same entries a parse of the files gives, and the reader takes the preloaded ones.
    expect(readCollectionFiles(config.dataDir, 'aircraft')).toBe(aircraft);
    expect(aircraft).toEqual(readCollectionFiles(config.dataDir, 'aircraft'));
    for (const name of ['manufacturers', 'types'] as const) expect(readCollectionFiles(config.dataDir, name)).toEqual(readCollectionFiles(config.dataDir, name));
    expect(preloaded?.size).toBe(0);
  });

  it('hands over the catalogue as read when given no digest (the astro child, whose build is that read)', async () => {
    const preload = preloadCatalogue(config.dataDir, 'build');
    await preload.done;
    expect(await preload.install()).toBe('installed');
    const preloaded = (globalThis as { [PRELOADED]?: Map<string, unknown> })[PRELOADED];
    const aircraft = preloaded?.get(`${config.dataDir}\0aircraft`);
    expect(readCollectionFiles(config.dataDir, 'aircraft')).toBe(aircraft);
    expect(aircraft).toEqual(readCollectionFiles(config.dataDir, 'aircraft'));
    for (const name of ['manufacturers', 'types'] as const) readCollectionFiles(config.dataDir, name);
    expect(preloaded?.size).toBe(0);
  });

  it('gives nothing when the data is not what the build was made from', async () => {
    const preload = preloadCatalogue(config.dataDir);
    await preload.done;
    expect(await preload.install('another-digest')).toBe('other data');
    expect((globalThis as { [PRELOADED]?: Map<string, unknown> })[PRELOADED]?.size ?? 0).toBe(0);
  });
});
