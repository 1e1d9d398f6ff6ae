/**
 * The thread bodies of early-spare.ts, which hard-link a build that is still being written into
 * a spare tree (workerData.mode):
 *
 *   - `follow`: while the build writes, at the lowest CPU priority, links every new file of its
 *     client/ every so often (a directory is only re-read when its mtime moved), and sends the
 *     `settle` thread what it linked as it goes (`port`), until the shared STOP flag is set.
 *   - `settle`: started with it, at normal priority, collects what `follow` sends; when told
 *     (the build is complete: its record exists) it walks the whole build and makes the tree
 *     exactly its hard-linked copy, leaving out the top-level `skip` files. A file already
 *     linked keeps its link when the build's file is still the same inode (written in place
 *     since, as Astro writes its pages, the link shows the final bytes); one that is new or was
 *     replaced (a rename over it) is linked now; anything the build no longer has (removed or
 *     moved away while building) is removed. Posts how many links and directories it made.
 *
 * `settle` never waits for `follow` to finish a pass or to answer: under load a thread at the
 * lowest priority gets the CPU seconds late. `follow` marks each change to the tree BUSY and
 * checks STOP inside that mark (Atomics are sequentially consistent), so once STOP is set and
 * BUSY is clear it changes nothing more; whatever it linked but had not yet sent is found by
 * `settle` in a directory whose mtime is not the one it was told about, and re-checked there.
 *
 * Synchronous fs calls on these threads, never libuv's pool: the render worker's own file work
 * (its lock, its writes, loading the bundle) must not queue behind thousands of links, and a
 * lowered priority must stay on this thread (on Linux the nice value is per thread; pool threads
 * started from here would inherit it).
 */
import { linkSync, lstatSync, mkdirSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';

/** Indexes into the shared Int32Array: STOP is set by the owner, BUSY by `follow` around each change. */
export const STOP = 0;
export const BUSY = 1;

export interface FollowData {
  mode: 'follow';
  from: string;
  to: string;
  /** Int32Array [STOP, BUSY] over a SharedArrayBuffer. */
  sync: SharedArrayBuffer;
  /** To the settle thread: Batch messages. */
  port: MessagePort;
}
export interface SettleData {
  mode: 'settle';
  from: string;
  to: string;
  skip: readonly string[];
  sync: SharedArrayBuffer;
  /** From the follow thread. */
  port: MessagePort;
}
/** A directory as `follow` read it: its mtime then, when (both ns of the wall clock), its subdirectories. */
type DirRead = { mtime: bigint; readAt: bigint; dirs: string[] };
/** What `follow` linked since its last batch, files before the directories they are in. */
interface Batch {
  files: [string, bigint][];
  dirs: [string, DirRead][];
}

/** The least a pass waits for the next one, and how many times its own length it waits at least (a pass over 10k directories costs tens of ms). */
const PASS_GAP_MS = 500;
const PASS_GAP_FACTOR = 10;
/** Files already linked that a re-read directory may have for follow to check their inodes itself. */
const RECHECK_AT_MOST = 64;
/** Files per batch sent to `settle`. */
const BATCH = 500;
/**
 * How long a directory must have been unchanged when read for its mtime to prove later that it
 * still has the same entries: file times come from a coarse clock (a few ms a tick), so a change
 * in the same tick as an earlier one leaves the mtime as it was.
 */
const QUIET_NS = 100_000_000n;

const wallNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

class Stopped extends Error {}

function follow({ from, to, sync, port }: FollowData): void {
  // Only the build's spare time: the build itself and everything else on the machine come first.
  setPriority(19);
  const flags = new Int32Array(sync);
  /** Changes the tree unless told to stop. */
  const change = <T>(act: () => T): T => {
    Atomics.store(flags, BUSY, 1);
    try {
      if (Atomics.load(flags, STOP) === 1) throw new Stopped();
      return act();
    } finally {
      Atomics.store(flags, BUSY, 0);
      Atomics.notify(flags, BUSY);
    }
  };
  const linked = new Map<string, bigint>();
  const dirs = new Map<string, DirRead>();
  let batch: Batch = { files: [], dirs: [] };
  const send = (): void => {
    if (batch.files.length > 0 || batch.dirs.length > 0) port.postMessage(batch);
    batch = { files: [], dirs: [] };
  };
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
      // Not recursive: the parent was made first (a pass goes top-down), and a live dir removed
      // meanwhile (a test stopping its stack) must not be made again.
      if (!known) change(() => mkdirSync(join(to, rel)));
      // A file linked in an earlier pass may have been replaced by a rename since (which is what
      // moved the mtime, or part of it): checked here in a small directory, else settle checks
      // the directory's files (one lstat each, once) instead of every pass doing it again.
      const earlier = entries.filter((entry) => linked.has(join(rel, entry.name))).length;
      let complete = earlier <= RECHECK_AT_MOST;
      subdirs = [];
      for (const entry of entries) {
        const path = join(rel, entry.name);
        if (entry.isDirectory()) subdirs.push(path);
        else if (linked.has(path)) {
          if (earlier > RECHECK_AT_MOST) continue;
          const was = linked.get(path);
          try {
            if (lstatSync(join(from, path), { bigint: true }).ino !== was) complete = false;
          } catch {
            complete = false;
          }
        } else {
          try {
            const ino = change(() => {
              linkSync(join(from, path), join(to, path));
              return lstatSync(join(to, path), { bigint: true }).ino;
            });
            linked.set(path, ino);
            batch.files.push([path, ino]);
          } catch (error) {
            if (error instanceof Stopped) throw error;
            // Gone again (a temp file), or the name exists already: settle decides.
            complete = false;
          }
        }
      }
      const read = { mtime: complete ? mtime : -1n, readAt, dirs: subdirs };
      dirs.set(rel, read);
      batch.dirs.push([rel, read]);
      if (batch.files.length >= BATCH) send();
    }
    for (const dir of subdirs) pass(dir);
  };
  try {
    change(() => mkdirSync(to));
    while (Atomics.load(flags, STOP) === 0) {
      const started = performance.now();
      pass('client');
      send();
      Atomics.wait(flags, STOP, 0, Math.max(PASS_GAP_MS, PASS_GAP_FACTOR * (performance.now() - started)));
    }
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
  }
}

/** What the last pass made: the links and the directories (the costly part: each is a new inode). */
export interface Settled {
  files: number;
  dirs: number;
}

function settle({ from, to, skip, sync, port }: SettleData, files: Map<string, bigint>, dirs: Map<string, DirRead>): Settled {
  const flags = new Int32Array(sync);
  // Nothing `follow` does from here on changes the tree; what it sent before is queued.
  while (Atomics.load(flags, BUSY) === 1) Atomics.wait(flags, BUSY, 1, 50);
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) take(message.message as Batch, files, dirs);
  const made: Settled = { files: 0, dirs: 0 };
  const walk = (rel: string): void => {
    const known = dirs.get(rel);
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
      made.dirs++;
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
        const was = files.get(path);
        if (was !== undefined && lstatSync(join(from, path), { bigint: true }).ino === was) continue;
        rmSync(join(to, path), { recursive: true, force: true });
      }
      linkSync(join(from, path), join(to, path));
      made.files++;
    }
    for (const stale of have) rmSync(join(target, stale), { recursive: true, force: true });
  };
  walk('');
  return made;
}

function take(batch: Batch, files: Map<string, bigint>, dirs: Map<string, DirRead>): void {
  for (const [path, ino] of batch.files) files.set(path, ino);
  for (const [rel, read] of batch.dirs) dirs.set(rel, read);
}

// Imported by early-spare.ts for the constants: only a thread it started runs a job.
const data = workerData as FollowData | SettleData | null;
if (data?.mode === 'follow') follow(data);
else if (data?.mode === 'settle') {
  const files = new Map<string, bigint>();
  const dirs = new Map<string, DirRead>();
  data.port.on('message', (batch: Batch) => take(batch, files, dirs));
  parentPort?.once('message', () => {
    parentPort?.postMessage(settle(data, files, dirs));
    data.port.close();
  });
}
