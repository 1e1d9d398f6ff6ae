import { Worker } from 'node:worker_threads';
import type { FromThread, ToThread } from './pagefind-thread.ts';
import type { PageIndex } from './search-indexer.ts';

/** A Pagefind index whose client runs in a worker thread (pagefind-thread.ts); see there for why. */
export interface OffThreadPagefind {
  index: PageIndex;
  /** Writes the index into `outputPath`, closes Pagefind and ends the thread. */
  write(outputPath: string): Promise<void>;
  /** Ends the thread without writing (a failed build). */
  stop(): Promise<void>;
}

/** Starts the thread and its Pagefind service; rejects with Pagefind's errors when it cannot start. */
export async function pagefindOffThread(): Promise<OffThreadPagefind> {
  const worker = new Worker(new URL('./pagefind-thread.ts', import.meta.url));
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
      const [id, errors] = message.added;
      pending.get(id)?.(errors);
      pending.delete(id);
    } else if ('ready' in message) onReady?.(message.ready);
    else onWritten?.(message.written);
  });
  worker.once('error', fail);
  worker.once('exit', (code) => {
    if (onWritten === undefined || pending.size > 0) fail(new Error(`the Pagefind thread exited (code ${code}) before the index was written`));
  });
  const send = (message: ToThread): void => worker.postMessage(message);

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
          send({ add: [id, sourcePath, content] });
        }),
    },
    write: async (outputPath) => {
      if (failed) throw failed;
      const errors = await new Promise<string[]>((resolve) => {
        onWritten = resolve;
        send({ write: outputPath });
      });
      if (errors.length > 0) throw new Error(`Pagefind could not write its index: ${errors.join('; ')}`);
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}
