/**
 * Builds the site into a fresh directory and, only when the build succeeds, swaps the live
 * `current` symlink to it atomically (a new symlink renamed over the old one). A failed build
 * leaves the live site untouched. The last KEEP_BUILDS builds are kept for rollback.
 *
 *   node site/scripts/build-and-swap.ts            build, check, swap; prints the build path
 *   node site/scripts/build-and-swap.ts --full     always a full `astro build`
 *   node site/scripts/build-and-swap.ts rollback   point `current` back at the previous build
 *

 * When the data and code digests equal the live build's (its hangar-build.json), only popularity
 * can have changed: it renders just the changed routes into a hard-linked copy of the live build
 * (popularity-rebuild.ts) instead of running `astro build`.
 *
 * Config: site/src/lib/config.ts (the same parse astro.config.ts uses; a bad value stops here,
 * before the lock is taken). Exit 0 on swap, 1 on a failed build (live site kept),
 * 75 when another build holds the lock (try again later).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { shownSignatures } from '@hangarstack/shared';
import { readPopularity } from '../src/lib/popularity.ts';
import { catalogueSlugs, codeDigest, dataDigest, readRecord, writeRecord } from './build-record.ts';
import { manifestOf, writeManifest } from './deploy-manifest.ts';
import { currentBuild, listBuilds, liveLayout, SITE_DIR } from './live-dir.ts';
import { siteConfig } from '../src/lib/config.ts';
import { popularityRebuild } from './popularity-rebuild.ts';

const KEEP_BUILDS = 3;
const config = siteConfig();
const layout = liveLayout(config.liveDir);
mkdirSync(layout.builds, { recursive: true });

/** Points `current` at `target` in one rename, so a request never sees a missing site. */
function swapTo(target: string): void {
  const temp = `${layout.current}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  symlinkSync(relative(layout.root, target), temp);
  renameSync(temp, layout.current);
}

/**
 * Removes all but the last KEEP_BUILDS builds off the critical path: each is renamed to a hidden
 * name at once (listBuilds and rollback skip it), then deleted by a detached process, because
 * unlinking thousands of files took longer than a popularity-only rebuild itself.
 */
function pruneOldBuilds(): void {
  const doomed = listBuilds(layout.builds)
    .slice(0, -KEEP_BUILDS)
    .map((old) => {
      const trash = join(layout.builds, `.trash-${old}`);
      renameSync(join(layout.builds, old), trash);
      return trash;
    });
  if (doomed.length === 0) return;
  spawn(process.execPath, ['-e', 'for (const d of process.argv.slice(1)) require("node:fs").rmSync(d, { recursive: true, force: true })', ...doomed], { detached: true, stdio: 'ignore' }).unref();
}

function rollback(): void {
  const live = currentBuild(layout.current);
  const builds = listBuilds(layout.builds).map((n) => join(layout.builds, n));
  const at = live ? builds.indexOf(live) : -1;
  const previous = at > 0 ? builds[at - 1] : undefined;
  if (!previous) {
    console.error(`No earlier build to roll back to (live: ${live ?? 'none'}; kept: ${builds.length}).`);
    process.exit(1);
  }
  swapTo(previous);
  console.log(`rolled back: current -> ${previous}`);
}

async function buildAndSwap(): Promise<void> {
  const lock = join(layout.root, 'build.lock');
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch {
    console.error(`Another build holds ${lock}; try again when it finishes (delete the file if no build is running).`);
    process.exit(75);
  }
  const name = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(layout.builds, name);
  const started = performance.now();
  // The build reads a private copy of the snapshot: the consumer may publish a newer one
  // mid-build, and the recorded signatures must describe exactly what the pages show.
  const snapshot = join(layout.root, `popularity.${process.pid}.json`);
  if (existsSync(config.popularityFile)) copyFileSync(config.popularityFile, snapshot);
  else rmSync(snapshot, { force: true });
  const done = (): void => {
    rmSync(snapshot, { force: true });
    closeSync(fd);
    unlinkSync(lock);
  };
  let how = 'built';
  try {
    const digestStarted = performance.now();
    const inputs = { dataDigest: dataDigest(config), codeDigest: codeDigest(config) };
    const digests = ((performance.now() - digestStarted) / 1000).toFixed(1);
    const liveDir = currentBuild(layout.current);
    const live = liveDir ? readRecord(liveDir) : undefined;
    if (liveDir && live && !process.argv.includes('--full') && live.dataDigest === inputs.dataDigest && live.codeDigest === inputs.codeDigest) {
      const { routes, linked, phases } = await popularityRebuild(liveDir, live, outDir, snapshot);
      how = `re-rendered ${routes.length} routes (popularity only; ${linked} files hard-linked from the live build; digests ${digests} s, ${phases})`;
    } else {
      // The build reads the snapshot copy: handed to it in its own environment, not ours.
      const built = spawnSync(process.execPath, [join(SITE_DIR, 'scripts', 'astro-build.ts'), outDir], { env: { ...process.env, POPULARITY_FILE: snapshot }, stdio: 'inherit' });
      if (built.status !== 0) throw new Error(`astro build exited with ${built.status ?? built.signal}; its output is above`);
      if (!existsSync(join(outDir, 'client', 'index.html')) || !existsSync(join(outDir, 'server', 'entry.mjs'))) {
        throw new Error(`the build finished but ${outDir} has no client/index.html or server/entry.mjs`);
      }
      const slugs = catalogueSlugs(config);
      const known = new Set(slugs);
      writeRecord(outDir, { schema: 1, ...inputs, slugs, signatures: shownSignatures(readPopularity(snapshot).popularity, (slug) => known.has(slug)) });
      writeManifest(outDir, manifestOf(outDir));
    }
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    done();
    console.error(`✗ site build failed; the live site is unchanged.\n${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }
  swapTo(outDir);
  pruneOldBuilds();
  done();
  console.log(`✓ site ${how} in ${((performance.now() - started) / 1000).toFixed(1)} s and swapped live: current -> builds/${basename(outDir)}`);
}

if (process.argv[2] === 'rollback') rollback();
else if (process.argv[2] === undefined || process.argv[2] === '--full') await buildAndSwap();
else {
  console.error(`Unknown argument ${process.argv[2]}; use no argument to build and swap, --full to skip the popularity-only path, or "rollback".`);
  process.exit(2);
}
