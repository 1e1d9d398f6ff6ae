import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manifestOf } from '../../scripts/deploy-manifest.ts';
import { deployManifest } from './deploy-manifest-integration.ts';

type Hook = (params: { dir: URL }) => unknown;

describe('deployManifest', () => {
  it('hashes a late dir as it is at build:done, though it was being written at build:generated', async () => {
    const build = mkdtempSync(join(tmpdir(), 'hangar-deploy-manifest-'));
    const client = join(build, 'client');
    mkdirSync(join(client, 'pagefind'), { recursive: true });
    mkdirSync(join(client, 'aircraft', 'a'), { recursive: true });
    writeFileSync(join(client, 'aircraft', 'a', 'index.html'), 'page');
    writeFileSync(join(client, 'keys.json'), 'route keys');
    // Pagefind has begun writing its index when generate ends.
    writeFileSync(join(client, 'pagefind', 'fragment.pf'), '');
    const hooks = deployManifest({ skip: ['keys.json'], late: ['pagefind'] }).hooks as Record<string, Hook>;
    const dir = pathToFileURL(`${client}/`);
    await hooks['astro:build:generated']?.({ dir });
    // The hook hashes in the background (a few tiny files here): let it read them before Pagefind finishes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    writeFileSync(join(client, 'pagefind', 'fragment.pf'), 'the written fragment');
    writeFileSync(join(client, 'pagefind', 'entry.json'), '{}');
    await hooks['astro:build:done']?.({ dir });

    const expected = manifestOf(build);
    delete expected.files['keys.json'];
    expect(JSON.parse(readFileSync(join(build, 'deploy-manifest.json'), 'utf8'))).toEqual(expected);
  });
});
