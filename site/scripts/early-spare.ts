/**
 * The spare copy (spare-copy.ts) of a full build, linked while that build is still writing its
 * pages, so the first popularity-only rebuild after a full build does not wait for it: at 10k
 * aircraft the spare is ~30,000 links in ~10,000 directories, 1.2-3 s of linking after the
 * build (load 2-4), which was most of that rebuild (3.7 s against later ones' ~1 s).
 *
 * The render worker of the new bundle starts as the build does, long before its first page is
 * written (build-and-swap-inline.ts; with --full the astro child is already loading Astro); it
 * calls followBuild() at once, which links the build's client/ as it appears on a thread at the
 * lowest CPU priority (early-spare-thread.ts), and finish() once the build's record exists: a
 * last pass at normal priority makes the tree exactly the finished build's hard-linked copy
 * (what changed or appeared since is linked, what went away is removed) and renames it into
 * place as the build's spare.
 */
import { renameSync, rmSync } from 'node:fs';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { RECORD_FILE } from './build-record.ts';
import { MANIFEST_FILE } from './deploy-manifest.ts';
import { spareOf, spareTemp } from './spare-copy.ts';
import { STOP, type FollowData, type SettleData, type Settled } from './early-spare-thread.ts';

const THREAD = new URL('./early-spare-thread.ts', import.meta.url);

/** Runs one early-spare-thread.ts job; `done` resolves with what it posts, or when it exits (follow posts nothing). */
function runThread<T>(data: FollowData | SettleData, transfer: MessagePort[]): { done: Promise<T | undefined>; thread: Worker } {
  const thread = new Worker(THREAD, { workerData: data, transferList: transfer });
  const done = new Promise<T | undefined>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`the spare-linking thread exited with ${code}`))));
  });
  // Awaited by finish() or abort(); a failure before then must not count as unhandled.
  done.catch(() => undefined);
  return { done, thread };
}

export interface EarlySpare {
  /** The tree being linked (renamed to the build's spare by finish). */
  readonly dir: string;
  /** The build is complete: link what is left and put the spare in place; resolves with how many files and directories the last pass made. */
  finish(): Promise<Settled>;
  /** The build failed or the worker is leaving: stop and remove the partial tree. */
  abort(): Promise<void>;
}

/** Starts linking `buildDir`, which a build is writing now, into its spare-to-be. */
export function followBuild(buildDir: string): EarlySpare {
  const temp = spareTemp(buildDir);
  const sync = new SharedArrayBuffer(8);
  const flags = new Int32Array(sync);
  const { port1, port2 } = new MessageChannel();
  const following = runThread({ mode: 'follow', from: buildDir, to: temp, sync, port: port1 }, [port1]);
  const settling = runThread<Settled>({ mode: 'settle', from: buildDir, to: temp, skip: [RECORD_FILE, MANIFEST_FILE], sync, port: port2 }, [port2]);
  const halt = (): void => {
    Atomics.store(flags, STOP, 1);
    Atomics.notify(flags, STOP);
  };
  return {
    dir: temp,
    async finish() {
      // Not waiting for the follow thread: at the lowest priority it may not run for a while.
      halt();
      try {
        settling.thread.postMessage('settle');
        const made = await settling.done;
        if (made === undefined) throw new Error('the settle thread exited without an answer');
        renameSync(temp, spareOf(buildDir));
        return made;
      } catch (error) {
        rmSync(temp, { recursive: true, force: true });
        throw error;
      }
    },
    async abort() {
      halt();
      await settling.thread.terminate();
      await following.done.catch(() => undefined);
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
