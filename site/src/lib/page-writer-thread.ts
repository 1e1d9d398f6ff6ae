/**
 * The worker thread that writes the per-aircraft pages of a full build (page-writer.ts starts it
 * and says why). Messages in: { write: [[file, bytes], …] } (absolute paths). Messages out, one per
 * message in: { written: [[file, content hash], …] } once every file of it is on disk, or
 * { failed: message } naming the first file it could not write.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { contentHash } from '../../scripts/file-hashes.ts';

export type ToWriter = { write: [file: string, bytes: Uint8Array][] };
export type FromWriter = { written: [file: string, hash: string][] } | { failed: string };

const port = parentPort;
if (!port) throw new Error('page-writer-thread.ts runs as a worker thread: start it through page-writer.ts');
/** Directories this thread made or found: a page's directory is made once, not checked again for its sheet. */
const made = new Set<string>();
port.on('message', ({ write }: ToWriter) => {
  let file = '';
  const written: [string, string][] = [];
  try {
    for (const [path, bytes] of write) {
      file = path;
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(path, bytes);
      // The deploy manifest's hash of the file (page-hashes.ts), made here and not on the render thread.
      written.push([path, contentHash(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))]);
      // The page's memory is freed now, not when this thread's next collection finds the buffer:
      // with next to no JS garbage here, that took ~100 MB of pages at 10k (peak RSS of the build).
      (bytes.buffer as ArrayBuffer).transfer(0);
    }
    port.postMessage({ written } satisfies FromWriter);
  } catch (error) {
    port.postMessage({ failed: `${file}: ${error instanceof Error ? error.message : String(error)}` } satisfies FromWriter);
  }
});
