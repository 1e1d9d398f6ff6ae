/**
 * Builds the site into a fresh directory and, only when the build succeeds, swaps the live
 * `current` symlink to it atomically (a new symlink renamed over the old one). A failed build
 * leaves the live site untouched. The last KEEP_BUILDS builds are kept for rollback.
 *
 *   node site/scripts/build-and-swap.ts            build, check, swap; prints the build path
 *   node site/scripts/build-and-swap.ts rollback   point `current` back at the previous build
 *
 * Config: site/src/lib/config.ts (the same parse astro.config.ts uses; a bad value stops here,
 * before the lock is taken). Exit 0 on swap, 1 on a failed build (live site kept),
 * 75 when another build holds the lock (try again later).
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { currentBuild, listBuilds, liveLayout, SITE_DIR } from './live-dir.ts';
import { loadSiteConfig } from '../src/lib/config.ts';

const KEEP_BUILDS = 3;
const config = loadSiteConfig();
const layout = liveLayout(config.liveDir);
mkdirSync(layout.builds, { recursive: true });

/** Points `current` at `target` in one rename, so a request never sees a missing site. */
function swapTo(target: string): void {
  const temp = `${layout.current}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  symlinkSync(relative(layout.root, target), temp);
  renameSync(temp, layout.current);
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
  try {
    const { build } = await import('astro');
    await build({ root: SITE_DIR, outDir, logLevel: config.astroLogLevel });
    if (!existsSync(join(outDir, 'client', 'index.html')) || !existsSync(join(outDir, 'server', 'entry.mjs'))) {
      throw new Error(`the build finished but ${outDir} has no client/index.html or server/entry.mjs`);
    }
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    closeSync(fd);
    unlinkSync(lock);
    console.error(`✗ site build failed; the live site is unchanged.\n${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }
  swapTo(outDir);
  for (const old of listBuilds(layout.builds).slice(0, -KEEP_BUILDS)) rmSync(join(layout.builds, old), { recursive: true, force: true });
  closeSync(fd);
  unlinkSync(lock);
  console.log(`✓ site built in ${((performance.now() - started) / 1000).toFixed(1)} s and swapped live: current -> builds/${basename(outDir)}`);
}

if (process.argv[2] === 'rollback') rollback();
else if (process.argv[2] === undefined) await buildAndSwap();
else {
  console.error(`Unknown argument ${process.argv[2]}; use no argument to build and swap, or "rollback".`);
  process.exit(2);
}
