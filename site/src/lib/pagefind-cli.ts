/**
 * Search indexes a build's written pages with Pagefind's own command-line indexer, the binary the
 * `pagefind` package installs for this platform (the one its Node API runs as a service).
 *
 * Why the CLI and not the Node API: the API's service takes pages one message at a time on one
 * thread (base64 inside JSON down a pipe) and then writes; over the pages of a 10k build that was
 * ~20 s of wall and of CPU, where the CLI reads the files itself on every core: 6.4-8.1 s of wall,
 * ~10-12 s of CPU. Full builds (pagefind-integration.ts) and data-change rebuilds
 * (scripts/data-rebuild.ts) both index this way, so both number the pages in the CLI's order (the
 * same on every run and in any directory) and make the same bytes from the same pages.
 *
 * The indexed pages are the aircraft pages and the type entries (search-indexer.ts's
 * isIndexedPath) that carry `data-pagefind-body`: a type entry for a designator with an aircraft
 * page has none, and Pagefind leaves it out.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The built files of the indexed pages, relative to the client dir (directory format). */
export const INDEXED_GLOB = '{aircraft,type}/*/index.html';

/** The binary the `pagefind` package resolves for this platform: the extended build first, as its API does. */
function pagefindBinary(): string {
  // Resolved from the pagefind package itself: its platform package is its optional dependency.
  const fromPagefind = createRequire(import.meta.resolve('pagefind'));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const tried: string[] = [];
  for (const name of ['pagefind_extended', 'pagefind']) {
    const id = `@pagefind/${platform}-${process.arch}/bin/${platform === 'windows' ? `${name}.exe` : name}`;
    try {
      return fromPagefind.resolve(id);
    } catch {
      tried.push(id);
    }
  }
  throw new Error(`Pagefind has no binary for ${platform}-${process.arch} (tried ${tried.join(', ')}): reinstall with \`pnpm install\` on this platform`);
}

/** The pages the index in `outputDir` holds, over every language (its entry file says). */
export function indexedPages(outputDir: string): number {
  const entry = JSON.parse(readFileSync(join(outputDir, 'pagefind-entry.json'), 'utf8')) as { languages?: Record<string, { page_count?: number }> };
  return Object.values(entry.languages ?? {}).reduce((sum, language) => sum + (language.page_count ?? 0), 0);
}

/**
 * Indexes the aircraft pages and type entries under `clientDir` into `outputDir` (which must not
 * hold an older index: its files would stay). `expected`: how many of them carry
 * `data-pagefind-body` (search-extract.ts's isSearchedPage). Resolves with the page count; rejects
 * with Pagefind's output when it fails, or when it indexed another number of pages.
 */
export function indexWithPagefind(clientDir: string, outputDir: string, expected: number): Promise<number> {
  // Pagefind's CLI also reads PAGEFIND_* variables and a pagefind.{toml,yml,json} in its working
  // directory: it gets none of the variables, and runs in the client dir, which holds no such file.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toUpperCase().startsWith('PAGEFIND_')));
  return new Promise((resolve, reject) => {
    const child = spawn(pagefindBinary(), ['--site', clientDir, '--glob', INDEXED_GLOB, '--output-path', outputDir], { cwd: clientDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => reject(new Error(`Pagefind could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`Pagefind could not index ${clientDir} (exit ${code ?? signal}):\n${output}`));
        return;
      }
      try {
        const indexed = indexedPages(outputDir);
        if (indexed !== expected) throw new Error(`Pagefind indexed ${indexed} of the ${expected} pages built with data-pagefind-body in ${clientDir}\n${output}`);
        resolve(indexed);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
