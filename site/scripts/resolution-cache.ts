/**
 * Node's resolution of the toolchain's imports kept between builds, as compile-cache.ts keeps their
 * compiled code: which file each `import`/`require` inside the installed packages (Astro, Vite,
 * rolldown, zod…: ~1,400 modules, ~2,400 specifiers) names. Resolving them is a third of
 * `import('astro')`: each bare specifier walks node_modules, reads package.json `exports`, and
 * takes the realpath of pnpm's symlinks. The astro child enables it before it imports Astro.
 *
 * Like the compile cache it is a cache of the tool, not of the site. It holds only resolutions
 * from a file in pnpm's package store (`<repo>/node_modules/.pnpm/`) to a file in it, which
 * depend on nothing but the installed packages, the specifier and the import conditions; nothing
 * read from data/ or the snapshot, no file a build wrote (a build's own chunks live elsewhere and
 * resolve as before). It is keyed on Node's version and on the install (the stamps pnpm rewrites
 * on every install): after an install or upgrade it starts empty and fills again in one build.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off with the compile cache.
 */
import module from 'node:module';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The cache file of one kind of process (`name`): one per checkout, beside the compile cache
 * (compile-cache.ts says why not a tmpdir). Each kind has its own file, as build-and-swap and
 * its astro child exit at about the same time and would otherwise overwrite each other's entries.
 */
export function resolutionCacheFile(name: string): string {
  return fileURLToPath(new URL(`../node_modules/.cache/hangarstack-resolutions-${name}.json`, import.meta.url));
}

interface Stored {
  /** Node and the install the entries were resolved with. */
  key: string;
  /** `parent \0 specifier \0 conditions` → [url, format], URLs relative to the package store. */
  entries: Record<string, [string, string]>;
}

/** Node's version and the stamps pnpm writes on every install; undefined without a pnpm install. */
export function installKey(repo = REPO): string | undefined {
  try {
    const stamps = ['.modules.yaml', join('.pnpm', 'lock.yaml')].map((f) => {
      const s = statSync(join(repo, 'node_modules', f));
      return `${s.mtimeMs}:${s.size}`;
    });
    return [process.version, process.arch, ...stamps].join(' ');
  } catch {
    return undefined;
  }
}

/**
 * Registers a resolve hook in this thread that answers from `file` what an earlier process
 * resolved with the same install, and resolves (and keeps) the rest as Node does; the file is
 * rewritten at exit when this process added entries. Call it before the imports it should cover,
 * and `stop()` once they are loaded: while a hook is registered, every `import()` goes through it,
 * and a 1k build's generate imports the same page chunk 1,000 times (a few µs each, but for nothing).
 */
export function enableResolutionCache(file: string, repo = REPO, env: Record<string, string | undefined> = process.env): { stop(): void } {
  const key = installKey(repo);
  if (key === undefined || env.NODE_DISABLE_COMPILE_CACHE) return { stop: () => undefined };
  const store = `${pathToFileURL(join(repo, 'node_modules', '.pnpm')).href}/`;
  let entries: Stored['entries'] = {};
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
    if (stored.key === key) entries = stored.entries;
  } catch {
    // No cache yet, or a torn one: start empty.
  }
  let added = 0;
  const hooks = module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (!parent?.startsWith(store)) return nextResolve(specifier, context);
      const id = `${parent.slice(store.length)}\0${specifier}\0${context.conditions.join(',')}`;
      const hit = entries[id];
      if (hit) return { url: store + hit[0], format: hit[1], shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      // Only plain modules: addons, JSON and wasm keep Node's own path (their format is found at load).
      if (resolved.url.startsWith(store) && (resolved.format === 'module' || resolved.format === 'commonjs')) {
        entries[id] = [resolved.url.slice(store.length), resolved.format];
        added++;
      }
      return resolved;
    },
  });
  process.once('exit', () => {
    if (added === 0) return;
    try {
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ key, entries } satisfies Stored));
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written costs the next build its resolutions, nothing else.
    }
  });
  return { stop: () => hooks.deregister() };
}
