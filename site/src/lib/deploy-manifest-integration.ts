import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { clientFiles, hashFiles, hashFilesSync, writeManifest } from '../../scripts/deploy-manifest.ts';
import type { PageHashes } from './page-hashes.ts';

/** A top-level client dir another integration writes after generate (Pagefind's index); `written` resolves once it is complete. */
export interface LateDir {
  dir: string;
  written: () => Promise<unknown>;
}

/** The files of the top-level client dir `sub`, relative to the client dir (none if it was never made). */
const lateFiles = (client: string, sub: string): string[] => (existsSync(join(client, sub)) ? clientFiles(join(client, sub)).map((rel) => `${sub}/${rel}`) : []);

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
          // At 10k Pagefind's write ends after generate: this thread waits for nothing else then.
          return hashFilesSync(client, lateFiles(client, sub));
        });
      },
      'astro:build:done': async ({ dir }) => {
        const client = fileURLToPath(dir);
        // Everything outside the late dirs is walked and read first, while Pagefind may still be
        // writing: at 10k its write ends after generate, and this walk (~0.4 s) used to follow it.
        const early = clientFiles(client, late.map(({ dir: sub }) => sub)).filter((rel) => !skip.includes(rel));
        const read = await hashFiles(
          client,
          early.filter((rel) => pages?.get(rel) === undefined),
        );
        const hashes = new Map(early.map((rel) => [rel, pages?.get(rel) ?? read.get(rel) ?? unhashed(rel)]));
        const known = await Promise.all(lateHashes);
        for (const [i, { dir: sub }] of late.entries()) {
          // A writer that failed: its dir (if any) is read as it is.
          const ofDir = known[i] ?? (await hashFiles(client, lateFiles(client, sub)));
          for (const [rel, hash] of ofDir) if (!skip.includes(rel)) hashes.set(rel, hash);
        }
        const files = Object.fromEntries([...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        writeManifest(join(client, '..'), { schema: 1, files });
      },
    },
  };
}

/** A listed file with no hash would deploy as "changed" forever (or never): fail the build instead. */
function unhashed(rel: string): never {
  throw new Error(`deploy manifest: ${rel} was listed in the build but never hashed; the build is incomplete, run it again`);
}
