/**
 * What a build was made from, written into each build directory as `hangar-build.json`: digests
 * of the data and of the code, the aircraft it has pages for, and the per-route signature of
 * what its pages show from popularity (`shownSignatures`). The next rebuild compares its inputs
 * with the live build's record: same data and code → re-render only the routes whose signature
 * changed (popularity-rebuild.ts) instead of a full `astro build`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT, type SiteConfig } from '../src/lib/config.ts';
import { FileHashes } from './file-hashes.ts';
import { SITE_DIR } from './live-dir.ts';

export const RECORD_FILE = 'hangar-build.json';

const recordSchema = z.strictObject({
  schema: z.literal(1),
  dataDigest: z.string(),
  codeDigest: z.string(),
  slugs: z.array(z.string()),
  signatures: z.record(z.string(), z.string()),
  /**
   * Every catalogue route's cacheKey (lib/page-paths.ts `routeKeys`), as of the last build that
   * rendered from data; absent in builds made before, which a data change then rebuilds in full.
   */
  routeKeys: z.record(z.string(), z.string()).optional(),
});
export type BuildRecord = z.infer<typeof recordSchema>;

/**
 * Every file under `paths` (files or directories), sorted, skipping tests and dependencies: a
 * `node_modules` inside a scanned directory, not one above it (a data dir under one, as scratch
 * and bench builds put theirs, had every record skipped and the same digest whatever changed).
 */
function filesUnder(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    if (statSync(path).isFile()) files.push(path);
    else
      // Dirents, not a stat per entry: the digests run on every rebuild, over ~4,000 files.
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        const file = join(entry.parentPath, entry.name);
        if (entry.isFile() && !relative(path, file).split(sep).includes('node_modules') && !entry.name.endsWith('.test.ts')) files.push(file);
      }
  }
  return files.sort();
}

/** A digest of the files' paths and content hashes (`hashOf`, FileHashes' hash), plus `extra` values. */
function digestFiles(files: readonly string[], hashOf: (file: string) => string, extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(REPO_ROOT, file)).update('\0').update(hashOf(file)).update('\0');
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('base64url');
}

/**
 * The catalogue the build reads: every file under the data dir, so a collection added to
 * src/lib/catalogue-files.ts (types/ came after this was written) can never change unseen.
 */
export const dataDigest = (config: SiteConfig, hashes = new FileHashes(undefined)): string => dataDigestOf(config.dataDir, (file) => hashes.hash(file));

/** dataDigest of `dataDir` with each file's content hash from `hashOf` (the catalogue preload hashes the bytes it parsed). */
export const dataDigestOf = (dataDir: string, hashOf: (file: string) => string): string => digestFiles(filesUnder([dataDir]), hashOf);

/** Everything else that shapes the output: the site's code and assets, shared/, the lockfile, the baked-in config. */
export const codeDigest = (config: SiteConfig, hashes = new FileHashes(undefined)): string =>
  digestFiles(
    filesUnder([join(SITE_DIR, 'src'), join(REPO_ROOT, 'public'), join(SITE_DIR, 'astro.config.ts'), join(SITE_DIR, 'package.json'), join(REPO_ROOT, 'shared', 'src'), join(REPO_ROOT, 'pnpm-lock.yaml')]),
    (file) => hashes.hash(file),
    [config.siteUrl, config.collectorUrl],
  );

/**
 * The rebuild scripts themselves (site/scripts): the render worker runs a popularity-only rebuild
 * with the scripts it loaded, so after they change it must hand the rebuild back to the command.
 */
export const scriptsDigest = (hashes = new FileHashes(undefined)): string => digestFiles(filesUnder([join(SITE_DIR, 'scripts')]), (file) => hashes.hash(file));

/** The aircraft slugs of the catalogue: its record files' names (catalogue-files.ts). */
export const catalogueSlugs = (config: SiteConfig): string[] =>
  readdirSync(join(config.dataDir, 'aircraft')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

export function writeRecord(buildDir: string, record: BuildRecord): void {
  writeFileSync(join(buildDir, RECORD_FILE), `${JSON.stringify(record)}\n`);
}

/** The record of a build, or undefined for a build made before records existed (or a damaged one). */
export function readRecord(buildDir: string): BuildRecord | undefined {
  try {
    return recordSchema.parse(JSON.parse(readFileSync(join(buildDir, RECORD_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}
