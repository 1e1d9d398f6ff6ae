import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { clientFiles, hashFiles, writeManifest } from '../../scripts/deploy-manifest.ts';
import type { PageHashes } from './page-hashes.ts';

/** A client dir another integration writes after generate (Pagefind's index); `written` resolves once it is complete. */
export interface LateDir {
  dir: string;
  written: () => Promise<unknown>;
}

/**
 * Writes the deploy manifest (scripts/deploy-manifest.ts: every client file with its SHA-256)
 * beside client/ as part of the build, without reading the pages back: a page's hash is taken
 * from the bytes the prerenderer handed Astro (`pages`, page-hashes.ts), and a late dir's files
 * are hashed as soon as its writer says it is complete, while Astro may still be generating.
 * At `astro:build:done` one walk of the client dir lists every file, and only the files neither
 * of those knows (assets, public files, the sitemap: a few dozen) are read. Reading all of them
 * after generate cost ~2.5 s at the end of a quiet 10k build, with nothing else left to run.
 *
 * `skip`: client files build-and-swap takes out of the build before it deploys (the route keys).
 */
export function deployManifest({ skip = [], late = [], pages }: { skip?: readonly string[]; late?: readonly LateDir[]; pages?: PageHashes } = {}): AstroIntegration {
  let lateHashes: Promise<Map<string, string> | undefined>[] = [];
  return {
    name: 'hangarstack:deploy-manifest',
    hooks: {
      'astro:build:start': () => pages?.clear(),
      'astro:build:generated': ({ dir }) => {
        const client = fileURLToPath(dir);
        lateHashes = late.map(async ({ dir: sub, written }) => {
          // A writer that fails fails the build in its own hook; here its files are then read at build:done.
          if (!(await written().then(() => true, () => false))) return undefined;
          return hashFiles(client, clientFiles(join(client, sub)).map((rel) => `${sub}/${rel}`));
        });
      },
      'astro:build:done': async ({ dir }) => {
        const client = fileURLToPath(dir);
        const known = await Promise.all(lateHashes);
        const hashOf = (rel: string): string | undefined => pages?.get(rel) ?? known.find((hashes) => hashes?.has(rel))?.get(rel);
        const all = clientFiles(client).filter((rel) => !skip.includes(rel));
        const read = await hashFiles(
          client,
          all.filter((rel) => hashOf(rel) === undefined),
        );
        const files: Record<string, string> = {};
        for (const rel of all) files[rel] = hashOf(rel) ?? read.get(rel) ?? '';
        writeManifest(join(client, '..'), { schema: 1, files });
      },
    },
  };
}
