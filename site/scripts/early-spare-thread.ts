/**
 * The thread body of early-spare.ts: hard-links a build that is still being written into a spare
 * tree, in one of two modes (workerData.mode):
 *
 *   - `follow`: while the build writes, at the lowest CPU priority, links every new file of its
 *     client/ every so often (a directory is only re-read when its mtime moved), until told to
 *     stop (the shared `stop` flag); then posts what it linked, path -> inode.
 *   - `settle`: once the build is complete (its record exists), at normal priority: walks the
 *     whole build and makes the tree exactly its hard-linked copy, leaving out the top-level
 *     `skip` files. A file already linked keeps its link when the build's file is still the same
 *     inode (written in place since, as Astro writes its pages, the link shows the final bytes);
 *     one that is new or was replaced (a rename over it) is linked now; anything the build no
 *     longer has (removed or moved away while building) is removed. Posts how many links it made.
 *
 * Synchronous fs calls on this thread, never libuv's pool: the render worker's own file work
 * (its lock, its writes, loading the bundle) must not queue behind thousands of links, and a
 * lowered priority must stay on this thread (on Linux the nice value is per thread; pool threads
 * started from here would inherit it).
 */
import { linkSync, lstatSync, mkdirSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

export interface FollowData {
  mode: 'follow';
  from: string;
  to: string;
  /** Int32Array over a SharedArrayBuffer: [0] becomes 1 when the thread should stop following. */
  stop: SharedArrayBuffer;
}
/** What `follow` made: each file it linked (path relative to the build -> the inode), each directory it read. */
export interface Followed {
  files: Map<string, bigint>;
  /** `mtime` when read at `readAt` (both ns of the wall clock), and its subdirectories; mtime -1 when not all of its files were linked. */
  dirs: Map<string, { mtime: bigint; readAt: bigint; dirs: string[] }>;
}
/** Started with the follow thread, so its start-up is not on the finish's path; it waits for `Followed` in a message. */
export interface SettleData {
  mode: 'settle';
  from: string;
  to: string;
  skip: readonly string[];
}

/** The least a pass waits for the next one, and how many times its own length it waits at least (a pass over 10k directories costs tens of ms). */
const PASS_GAP_MS = 500;
const PASS_GAP_FACTOR = 10;
/**
 * How long a directory must have been unchanged when read for its mtime to prove later that it
 * still has the same entries: file times come from a coarse clock (a few ms a tick), so a change
 * in the same tick as an earlier one leaves the mtime as it was.
 */
const QUIET_NS = 100_000_000n;

const wallNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

function follow({ from, to, stop }: FollowData): Followed {
  // Only the build's spare time: the build itself and everything else on the machine come first.
  setPriority(19);
  const flag = new Int32Array(stop);
  const files = new Map<string, bigint>();
  const dirs: Followed['dirs'] = new Map();
  const pass = (rel: string): void => {
    let mtime: bigint;
    try {
      mtime = lstatSync(join(from, rel), { bigint: true }).mtimeNs;
    } catch {
      return; // Not there yet, or removed meanwhile: settle sorts it out.
    }
    const known = dirs.get(rel);
    let subdirs = known?.dirs ?? [];
    if (known?.mtime !== mtime) {
      const readAt = wallNs();
      let entries: Dirent[];
      try {
        entries = readdirSync(join(from, rel), { withFileTypes: true });
      } catch {
        return;
      }
      if (!known) mkdirSync(join(to, rel), { recursive: true });
      let complete = true;
      subdirs = [];
      for (const entry of entries) {
        const path = join(rel, entry.name);
        if (entry.isDirectory()) subdirs.push(path);
        else if (!files.has(path)) {
          try {
            linkSync(join(from, path), join(to, path));
            files.set(path, lstatSync(join(to, path), { bigint: true }).ino);
          } catch {
            // Gone again (a temp file), or the name exists already: settle decides.
            complete = false;
          }
        }
      }
      dirs.set(rel, { mtime: complete ? mtime : -1n, readAt, dirs: subdirs });
    }
    for (const dir of subdirs) pass(dir);
  };
  while (Atomics.load(flag, 0) === 0) {
    const started = performance.now();
    pass('client');
    Atomics.wait(flag, 0, 0, Math.max(PASS_GAP_MS, PASS_GAP_FACTOR * (performance.now() - started)));
  }
  return { files, dirs };
}

function settle({ from, to, skip }: SettleData, followed: Followed): number {
  let made = 0;
  const walk = (rel: string): void => {
    const known = followed.dirs.get(rel);
    if (known && known.readAt - known.mtime > QUIET_NS) {
      let mtime: bigint | undefined;
      try {
        mtime = lstatSync(join(from, rel), { bigint: true }).mtimeNs;
      } catch {
        // Removed since: the parent's listing changed, so it is reconciled below.
      }
      // The same entries as when followed: the same files (a rename over one would have moved
      // the mtime; a write in place keeps the inode the spare links).
      if (mtime === known.mtime) {
        for (const dir of known.dirs) walk(dir);
        return;
      }
    }
    const target = join(to, rel);
    let have: Set<string>;
    try {
      have = new Set(readdirSync(target));
    } catch {
      mkdirSync(target);
      have = new Set();
    }
    for (const entry of readdirSync(join(from, rel), { withFileTypes: true })) {
      if (rel === '' && skip.includes(entry.name)) continue;
      const path = join(rel, entry.name);
      const had = have.delete(entry.name);
      if (entry.isDirectory()) {
        if (had && !lstatSync(join(to, path)).isDirectory()) rmSync(join(to, path), { force: true });
        walk(path);
        continue;
      }
      if (had) {
        const was = followed.files.get(path);
        if (was !== undefined && lstatSync(join(from, path), { bigint: true }).ino === was) continue;
        rmSync(join(to, path), { recursive: true, force: true });
      }
      linkSync(join(from, path), join(to, path));
      made++;
    }
    for (const stale of have) rmSync(join(target, stale), { recursive: true, force: true });
  };
  walk('');
  return made;
}

const data = workerData as FollowData | SettleData;
if (data.mode === 'follow') parentPort?.postMessage(follow(data));
else parentPort?.once('message', (followed: Followed) => parentPort?.postMessage(settle(data, followed)));
