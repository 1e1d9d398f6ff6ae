import { Worker } from 'node:worker_threads';
import type { FromWriter, ToWriter } from './page-writer-thread.ts';

/**
 * Writes pages from a worker thread (page-writer-thread.ts) instead of Astro's generate loop.
 *
 * Astro writes each page with a mkdir and a writeFile on libuv's threads: four round trips from the
 * render thread per page (mkdir, open, write, close), each waking a libuv thread that, on this
 * 2-core machine, often takes the render thread's core for its system call. At 10k aircraft those
 * native calls were ~9 s of the render thread's ~30 s in a CPU profile (load ~5). Here the render
 * thread posts a batch of pages per turn of its event loop, and one thread makes their
 * directories and writes them with synchronous calls: the same system calls, no wake-up per call.
 */
export interface OffThreadWriter {
  /** Queues `bytes` for the absolute path `file` (its buffer is moved to the thread when it is the Buffer's own); waits only while too many pages are queued. */
  write(file: string, bytes: Buffer): Promise<void>;
  /** Resolves once every page queued so far is on disk (the thread goes on taking pages); rejects naming the first file that failed. */
  drained(): Promise<void>;
  /**
   * Resolves once every queued page is written, with each file's content hash (file-hashes.ts's
   * `contentHash`, by the path it was given), and ends the thread; rejects naming the first file
   * that failed. The thread hashes each page as it writes it: the render thread used to, for the
   * deploy manifest (page-hashes.ts), at ~30 µs a page.
   */
  finish(): Promise<Map<string, string>>;
}

/** Pages per message: posting one message per page would wake the thread per page again. */
const BATCH = 16;
/** Pages queued beyond this hold the renders back (~14 KB each), so a slow disk never piles pages up in memory. */
const MAX_QUEUED = 512;

export function pageWriterOffThread(): OffThreadWriter {
  const worker = new Worker(new URL('./page-writer-thread.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 } });
  /** Pages handed to write() and pages the thread has written, since the start: it writes them in order. */
  let taken = 0;
  let written = 0;
  const queued = (): number => taken - written;
  let failure: Error | undefined;
  let finished = false;
  /** Renders waiting for the queue to shrink, and finish() waiting for it to empty. */
  let waiting: (() => void)[] = [];
  const wake = (): void => {
    const woken = waiting;
    waiting = [];
    for (const resume of woken) resume();
  };
  const fail = (error: Error): void => {
    failure ??= error;
    wake();
  };
  const hashes = new Map<string, string>();
  worker.on('message', (message: FromWriter) => {
    if ('failed' in message) fail(new Error(`could not write a page: ${message.failed}`));
    else {
      written += message.written.length;
      for (const [file, hash] of message.written) hashes.set(file, hash);
    }
    wake();
  });
  worker.once('error', fail);
  worker.once('exit', (code) => {
    if (!finished || queued() > 0) fail(new Error(`the page writer thread exited (code ${code}) with ${queued()} pages unwritten`));
  });

  let batch: ToWriter['write'] = [];
  let moved: ArrayBuffer[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    worker.postMessage({ write: batch } satisfies ToWriter, moved);
    batch = [];
    moved = [];
  };
  const until = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (done() ? resolve() : void waiting.push(check));
      check();
    });

  return {
    write: async (file, bytes) => {
      if (failure) throw failure;
      // A Buffer that owns its whole ArrayBuffer (Response.arrayBuffer()'s) is moved, not copied; the
      // thread frees each page's buffer once written, so it must own it.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
      moved.push(own.buffer as ArrayBuffer);
      if (batch.length === 0) setImmediate(flush);
      batch.push([file, own]);
      taken += 1;
      if (batch.length >= BATCH) flush();
      if (queued() > MAX_QUEUED) await until(() => failure !== undefined || queued() <= MAX_QUEUED / 2);
      if (failure) throw failure;
    },
    drained: async () => {
      // Not until the queue is empty: pages written meanwhile (the sheets' batch) need not be waited for.
      const upTo = taken;
      flush();
      await until(() => failure !== undefined || written >= upTo);
      if (failure) throw failure;
    },
    finish: async () => {
      flush();
      await until(() => failure !== undefined || queued() === 0);
      finished = true;
      await worker.terminate();
      if (failure) throw failure;
      return hashes;
    },
  };
}
