/**
 * The worker thread that owns the Pagefind client during a full build (pagefind-off-thread.ts
 * starts it). Pagefind's Node API sends every page to its service as base64 inside JSON written
 * to a pipe: at 10k pages that was ~3.7 s of the build's one render thread. Here it costs the
 * other core, which Pagefind's own parsing leaves half idle.
 *
 * Each page comes whole, as the UTF-8 bytes Astro rendered, and is decoded and cut down here to what
 * Pagefind reads (search-indexer.ts's pagesIndex): on the render thread the cut took ~40 ms at 1k
 * aircraft, and the decode plus posting the text ~25-60 ms more.
 *
 * Messages in: { add: [[id, sourcePath, content], …] } and { write: outputPath }.
 * Messages out: { ready: errors }, { added: [[id, errors], …] } (one per add message, once
 * Pagefind has every page of it), { written: errors } (then it exits). Pages travel in batches:
 * one message per page cost the render thread ~2 s at 10k, mostly waking this thread.
 */
import { parentPort } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { pagesIndex } from './search-indexer.ts';

export type ToThread = { add: [id: number, sourcePath: string, content: string | Uint8Array][] } | { write: string };
export type FromThread = { ready: string[] } | { added: [id: number, errors: string[]][] } | { written: string[] };

const port = parentPort;
if (!port) throw new Error('pagefind-thread.ts runs as a worker thread: start it through pagefind-off-thread.ts');
const post = (message: FromThread): void => port.postMessage(message);

const { index, errors } = await pagefind.createIndex({});
post({ ready: index ? [] : errors.length > 0 ? errors : ['no index'] });
if (index) {
  const pages = pagesIndex(index);
  port.on('message', (message: ToThread) => {
    if ('add' in message) {
      // Pagefind's service answers in arrival order: no need to wait before the next add.
      void Promise.all(
        message.add.map(([id, sourcePath, content]) =>
          pages.addHTMLFile({ sourcePath, content }).then(
            (response): [number, string[]] => [id, response.errors],
            (error: unknown): [number, string[]] => [id, [String(error)]],
          ),
        ),
      ).then((added) => post({ added }));
      return;
    }
    void (async () => {
      const written = await index.writeFiles({ outputPath: message.write }).catch((error: unknown) => ({ errors: [String(error)] }));
      await pagefind.close();
      post({ written: written.errors });
      port.close();
    })();
  });
}
