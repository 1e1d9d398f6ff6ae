/**
 * Putting a finished build live, shared by build-and-swap-inline.ts (any build) and the render
 * worker (a popularity-only rebuild it runs itself): the atomic swap of `current`, pruning old
 * builds off the critical path, and cleaning up after a build that died holding the lock.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { BuildOwner } from './build-lock.ts';
import { currentBuild, listBuilds, type liveLayout } from './live-dir.ts';
import { staleSpares } from './spare-copy.ts';

type Layout = ReturnType<typeof liveLayout>;

/** Builds kept for rollback. */
const KEEP_BUILDS = 3;

/** A build dir a server can serve (a killed build leaves one without these). */
export const isComplete = (dir: string): boolean => existsSync(join(dir, 'client', 'index.html')) && existsSync(join(dir, 'server', 'entry.mjs'));

/** The private snapshot copy build `pid` reads (the consumer may publish a newer one mid-build). */
export const snapshotCopy = (layout: Layout, pid: number): string => join(layout.root, `popularity.${pid}.json`);

/** Points `current` at `target` in one rename, so a request never sees a missing site. */
export function swapTo(layout: Layout, target: string): void {
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
export function pruneOldBuilds(layout: Layout, live: string, reuse: (old: string) => boolean = () => false): void {
  // `reuse` may take an old build instead (the render worker recycles one into the next spare
  // copy; it renames it out of the way itself).
  const old = listBuilds(layout.builds)
    .slice(0, -KEEP_BUILDS)
    .map((name) => join(layout.builds, name))
    .filter((dir) => !reuse(dir));
  // Spare copies of builds that are no longer live (spare-copy.ts), and trees a killed render
  // worker left half-linked, go the same way.
  const doomed = [...old, ...staleSpares(layout.builds, live)].map((old) => {
    const trash = join(layout.builds, `.trash-${basename(old)}`);
    renameSync(old, trash);
    return trash;
  });
  if (doomed.length === 0) return;
  spawn(process.execPath, ['-e', 'for (const d of process.argv.slice(1)) require("node:fs").rmSync(d, { recursive: true, force: true })', ...doomed], { detached: true, stdio: 'ignore' }).unref();
}

/**
 * After taking over the lock of a build that died: removes its directory and snapshot copy;
 * returns the line to log. Whatever the dead build got to write, it is not live (unless it died
 * after its swap) and never will be: its astro child may even have finished the pages after
 * build-and-swap was killed, before it noticed (astro-child-order.ts), so that a complete
 * directory is no sign of a build worth keeping.
 */
export function cleanUpDeadBuild(layout: Layout, dead: BuildOwner): string {
  const live = dead.outDir === currentBuild(layout.current);
  if (!live) rmSync(dead.outDir, { recursive: true, force: true });
  rmSync(snapshotCopy(layout, dead.pid), { force: true });
  return `took over the lock of build pid ${dead.pid} (${dead.host}, since ${dead.since}), which died; ${live ? `kept ${dead.outDir}, which it had swapped live` : `removed its unfinished ${dead.outDir}`}`;
}

/** A new build directory's name: a sortable timestamp. */
export const newBuildDir = (layout: Layout): string => join(layout.builds, new Date().toISOString().replace(/[:.]/g, '-'));
