import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { clientFiles, hashFiles, writeManifest } from '../../scripts/deploy-manifest.ts';

/**
 * Writes the deploy manifest (scripts/deploy-manifest.ts: every client file with its SHA-256)
 * beside client/ as part of the build. The pages and assets are hashed from
 * `astro:build:generated` on, while Pagefind writes its index in its own process and the sitemap
 * is made: the render thread has nothing else to do then. Only the files that appear later
 * (Pagefind's, the sitemap's) are hashed at `astro:build:done`, so this integration goes after
 * those that write files. build-and-swap hashed the whole tree after the build instead: 1.65 s
 * of a 10k build on the critical path.
 *
 * `skip`: client files build-and-swap takes out of the build before it deploys (the route keys).
 * `late`: client dirs another integration may still be writing at `astro:build:generated` (Pagefind
 * starts its index before generate ends): hashed only at `astro:build:done`.
 */
export function deployManifest({ skip = [], late = [] }: { skip?: readonly string[]; late?: readonly string[] } = {}): AstroIntegration {
  let early: Promise<Map<string, string>> | undefined;
  return {
    name: 'hangarstack:deploy-manifest',
    hooks: {
      'astro:build:generated': ({ dir }) => {
        const client = fileURLToPath(dir);
        const written = (rel: string): boolean => !late.some((dir) => rel.startsWith(`${dir}/`));
        early = hashFiles(client, clientFiles(client).filter(written));
        // Awaited in build:done; until then a failure must not count as unhandled.
        early.catch(() => undefined);
      },
      'astro:build:done': async ({ dir }) => {
        if (!early) throw new Error('deploy manifest: astro:build:generated did not run');
        const client = fileURLToPath(dir);
        const hashed = await early;
        const all = clientFiles(client).filter((rel) => !skip.includes(rel));
        const late = await hashFiles(
          client,
          all.filter((rel) => !hashed.has(rel)),
        );
        const files: Record<string, string> = {};
        for (const rel of all) files[rel] = hashed.get(rel) ?? late.get(rel) ?? '';
        writeManifest(join(client, '..'), { schema: 1, files });
      },
    },
  };
}
