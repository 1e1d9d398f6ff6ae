import { Worker } from 'node:worker_threads';
import type { FromThread, ToThread } from './pagefind-thread.ts';
import type { PageIndex } from './search-indexer.ts';

/** A Pagefind index whose client runs in a worker thread (pagefind-thread.ts); see there for why. */
export interface OffThreadPagefind {
  /** Takes whole pages: the thread cuts each down to what Pagefind reads (pagefind-thread.ts, search-indexer.ts's pagesIndex). */
  index: PageIndex;
  /** Writes the index into `outputPath`, closes Pagefind and ends the thread. */
  write(outputPath: string): Promise<void>;
  /** Ends the thread without writing (a failed build). */
  stop(): Promise<void>;
}

/** Pages per message to the thread: one message per page cost ~2 s of a 10k build's render thread. */
const BATCH = 16;

/** Starts the thread and its Pagefind service; rejects with Pagefind's errors when it cannot start. */
export async function pagefindOffThread(): Promise<OffThreadPagefind> {
  // The thread holds at most the pages in flight (SearchIndexer's limits: a few MB), but with V8's
  // default limits its heap grew with the garbage of 10k pages' base64 copies: +125 MB peak RSS
  // at 10k. These limits keep it at ~15 MB; a thread that still ran out would fail the build
  // through its 'error' event, never silently.
  const worker = new Worker(new URL('./pagefind-thread.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
  const pending = new Map<number, (errors: string[]) => void>();
  let nextId = 0;
  let onReady: ((errors: string[]) => void) | undefined;
  let onWritten: ((errors: string[]) => void) | undefined;
  let failed: Error | undefined;
  const fail = (error: Error): void => {
    failed = error;
    const errors = [error.message];
    onReady?.(errors);
    onWritten?.(errors);
    for (const done of pending.values()) done(errors);
    pending.clear();
  };
  worker.on('message', (message: FromThread) => {
    if ('added' in message) {
      for (const [id, errors] of message.added) {
        pending.get(id)?.(errors);
        pending.delete(id);
      }
    } else if ('ready' in message) onReady?.(message.ready);
    else onWritten?.(message.written);
  });
  worker.once('error', fail);
  worker.once('exit', (code) => {
    if (onWritten === undefined || pending.size > 0) fail(new Error(`the Pagefind thread exited (code ${code}) before the index was written`));
  });
  const send = (message: ToThread, transfer: ArrayBuffer[] = []): void => worker.postMessage(message, transfer);
  // Adds wait here for a full batch, or for the end of this turn of the event loop.
  let batch: [number, string, string | Uint8Array][] = [];
  let moved: ArrayBuffer[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    send({ add: batch }, moved);
    batch = [];
    moved = [];
  };

  const startErrors = await new Promise<string[]>((resolve) => (onReady = resolve));
  if (startErrors.length > 0) {
    await worker.terminate();
    throw new Error(`Pagefind could not start: ${startErrors.join('; ')}`);
  }
  return {
    index: {
      addHTMLFile: ({ sourcePath, content }) =>
        new Promise((resolve) => {
          if (failed) return resolve({ errors: [failed.message] });
          const id = nextId++;
          pending.set(id, (errors) => resolve({ errors }));
          if (batch.length === 0) setImmediate(flush);
          if (typeof content === 'string') batch.push([id, sourcePath, content]);
          else {
            // Bytes go as a copy the thread owns: the caller's buffer may move on (to the page writer)
            // before this batch is posted. Copying 14 KB is ~1 µs; decoding it here to post a string
            // cost the render thread ~25-60 µs a page (decode, then a two-byte string cloned).
            const own = new Uint8Array(content);
            moved.push(own.buffer);
            batch.push([id, sourcePath, own]);
          }
          if (batch.length >= BATCH) flush();
        }),
    },
    write: async (outputPath) => {
      if (failed) throw failed;
      const errors = await new Promise<string[]>((resolve) => {
        onWritten = resolve;
        flush();
        send({ write: outputPath });
      });
      if (errors.length > 0) throw new Error(`Pagefind could not write its index: ${errors.join('; ')}`);
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/**
 * An OffThreadPagefind usable at once, while `starting` (pagefindOffThread()) is still on its way: the
 * build does not wait for the thread before its first page. Once the thread is ready, adds go straight
 * to it; before, each waits for it, with a copy of the page's bytes (PageIndex: they are the caller's
 * only until addHTMLFile returns, and the render hands them to the page writer next). A thread that
 * cannot start answers every add with its errors and fails the write.
 */
export function startingPagefind(starting: Promise<OffThreadPagefind>): OffThreadPagefind {
  let ready: OffThreadPagefind | undefined;
  starting.then((pagefind) => (ready = pagefind), () => undefined);
  return {
    index: {
      addHTMLFile: (file) => {
        if (ready) return ready.index.addHTMLFile(file);
        const kept = typeof file.content === 'string' ? file : { sourcePath: file.sourcePath, content: new Uint8Array(file.content) };
        return starting.then((pagefind) => pagefind.index.addHTMLFile(kept), (error: Error) => ({ errors: [error.message] }));
      },
    },
    write: async (path) => (await starting).write(path),
    stop: async () => (await starting).stop(),
  };
}
