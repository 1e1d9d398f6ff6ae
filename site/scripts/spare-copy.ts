/**
 * A spare hard-linked copy of the live build, made ahead of time so a popularity-only rebuild
 * can start from it (one rename) instead of linking thousands of files on its critical path:
 * linking the 8,000 files of the real catalogue's build took about a second on a busy machine,
 * more than rendering the changed routes. The render worker makes the spare after each swap.
 *
 * A spare is `builds/.spare-<live build name>`: it is valid only while that build is live, and
 * stays valid because no build file is ever written in place (rendered files replace theirs by
 * rename). The record and deploy manifest are left out: a rebuild writes them fresh, and
 * writing through a hard link would change the live build's. listBuilds() skips dot names.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RECORD_FILE } from './build-record.ts';
import { MANIFEST_FILE } from './deploy-manifest.ts';
import { hardLinkTree } from './hard-link-tree.ts';

const PREFIX = '.spare-';
/** Trees being made into spares: `.spare-tmp-<pid of the process making it>-…`. */
const TEMP_PREFIX = `${PREFIX}tmp-`;

/** Where the spare of `buildDir` lives once complete. */
export const spareOf = (buildDir: string): string => join(dirname(buildDir), `${PREFIX}${basename(buildDir)}`);

/** A new temporary name beside `buildDir` for a tree this process makes into a spare. */
export const spareTemp = (buildDir: string): string => join(dirname(buildDir), `${TEMP_PREFIX}${process.pid}-${Date.now()}`);

/** Links a spare of `buildDir` under a temporary name and renames it into place when complete. */
export async function prepareSpare(buildDir: string): Promise<void> {
  const spare = spareOf(buildDir);
  if (existsSync(spare)) return;
  const temp = spareTemp(buildDir);
  try {
    await hardLinkTree(buildDir, temp, [RECORD_FILE, MANIFEST_FILE]);
    renameSync(temp, spare);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Renames `old` (a build about to be pruned) out of listBuilds' sight, to be recycled by recycleIntoSpare; returns its new path. */
export function claimForSpare(old: string): string {
  const claimed = join(dirname(old), `${TEMP_PREFIX}${process.pid}-${basename(old)}`);
  renameSync(old, claimed);
  return claimed;
}

/**
 * Makes the spare of `live` from `claimed`, an older build of the same bundle that differs from
 * it only in `changed` (paths relative to a build dir: the files the popularity-only rebuilds in
 * between rendered): those are linked from `live`, every other file already is live's inode. A
 * few dozen links instead of a whole tree: linking the real catalogue's 8,285 files took 1-3 s
 * under load, longer than the loop's trials are apart, so each rebuild waited for its spare.
 */
export function recycleIntoSpare(claimed: string, live: string, changed: Iterable<string>): void {
  try {
    for (const own of [RECORD_FILE, MANIFEST_FILE]) rmSync(join(claimed, own), { force: true });
    for (const rel of changed) {
      const target = join(claimed, rel);
      mkdirSync(dirname(target), { recursive: true });
      // A new link renamed over the old file: the old build's file may be a link of a kept build.
      linkSync(join(live, rel), `${target}.recycle`);
      renameSync(`${target}.recycle`, target);
    }
    renameSync(claimed, spareOf(live));
  } catch (error) {
    rmSync(claimed, { recursive: true, force: true });
    throw error;
  }
}

/** Moves the spare of `liveDir` to `outDir` when there is one; false when the caller must link. */
export function takeSpare(liveDir: string, outDir: string): boolean {
  try {
    renameSync(spareOf(liveDir), outDir);
    return true;
  } catch {
    return false;
  }
}

/** Whether process `pid` is alive (a pid reused since only delays a clean-up). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What is left of spares in `builds`: the complete ones that are not `liveDir`'s (stale after any
 * swap), and trees being made by a process that is gone (a render worker killed mid-link).
 */
export const staleSpares = (builds: string, liveDir: string): string[] =>
  existsSync(builds)
    ? readdirSync(builds)
        .filter((n) => (n.startsWith(TEMP_PREFIX) ? !alive(Number(n.slice(TEMP_PREFIX.length).split('-')[0])) : n.startsWith(PREFIX) && join(builds, n) !== spareOf(liveDir)))
        .map((n) => join(builds, n))
    : [];
