import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir as testTempDir } from '@hangarstack/testing/temp-dir';

/** Paths the site tests use. */
export const SITE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(SITE_DIR, '..');
export const FIXTURES = join(SITE_DIR, 'test', 'fixtures');

/**
 * A fresh temp dir `hangar-site-<name>-…`, removed when the test that made it ends, or the file
 * when made outside a test (testing/src/temp-dir.ts).
 */
export const tempDir = (name: string): string => testTempDir(`hangar-site-${name}-`);

/**
 * A fresh live dir (HANGAR_LIVE_DIR) for a test build. It must sit inside site/, because the
 * built server imports its dependencies (zod, …) from site/node_modules by walking up.
 */
export function testLiveDir(name: string): string {
  mkdirSync(join(SITE_DIR, '.live', 'tests'), { recursive: true });
  return mkdtempSync(join(SITE_DIR, '.live', 'tests', `${name}-`));
}

/** Runs build-and-swap.ts synchronously with `env` (and `args`, e.g. --full); returns exit status and output. */
export function buildSite(env: Record<string, string>, args: string[] = []): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(SITE_DIR, 'scripts', 'build-and-swap.ts'), ...args], {
    cwd: REPO_DIR,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** Every file of a build (relative path → inode and content hash). */
export function files(build: string): Map<string, { ino: number; sha: string }> {
  const out = new Map<string, { ino: number; sha: string }>();
  for (const rel of readdirSync(build, { recursive: true, encoding: 'utf8' })) {
    const path = join(build, rel);
    const stat = statSync(path);
    if (stat.isFile()) out.set(rel, { ino: stat.ino, sha: createHash('sha256').update(readFileSync(path)).digest('hex') });
  }
  return out;
}
