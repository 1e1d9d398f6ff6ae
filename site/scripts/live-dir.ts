import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The live-site layout shared by build-and-swap.ts and serve.ts:
 *   site/.live/builds/<timestamp>/{client,server}   one directory per successful build
 *   site/.live/current -> builds/<timestamp>         the symlink the server follows
 * `HANGAR_LIVE_DIR` moves it (tests use a temp dir); callers pass the parsed site config's `liveDir`.
 */
export const SITE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Paths of the live layout under `dir` (the site config's `liveDir`, `HANGAR_LIVE_DIR`). */
export function liveLayout(dir: string) {
  const root = resolve(dir);
  return { root, builds: join(root, 'builds'), current: join(root, 'current') };
}

/** Build directories, oldest first (their names are sortable timestamps). */
export function listBuilds(builds: string): string[] {
  return existsSync(builds) ? readdirSync(builds).filter((n) => !n.startsWith('.')).sort() : [];
}

/** Where `current` points now, or undefined before the first build. */
export function currentBuild(current: string): string | undefined {
  try {
    return realpathSync(current);
  } catch {
    return undefined;
  }
}
