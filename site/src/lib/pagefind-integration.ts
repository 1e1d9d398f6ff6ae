import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

/**
 * Indexes the built aircraft pages with Pagefind after the build. Only elements marked
 * `data-pagefind-body` are indexed, so lists and the home page stay out of the results.
 * Pagefind splits the index into small fragments, so a query at 10k pages loads a few
 * kilobytes, not the whole catalogue.
 */
export function pagefindIndex(): AstroIntegration {
  return {
    name: 'hangarstack:pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const path = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        // Only aircraft pages and short type entries (/type/<designator>/) carry `data-pagefind-body`;
        // reading the lists too only costs time.
        const added = await index.addDirectory({ path, glob: '{aircraft,type}/*/index.html' });
        if (added.errors.length > 0) throw new Error(`Pagefind could not index ${path}: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: `${path}/pagefind` });
        if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
        await pagefind.close();
        logger.info(`indexed ${added.page_count} pages for search`);
      },
    },
  };
}
