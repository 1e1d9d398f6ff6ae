import type { Readable } from 'node:stream';
import type { AstroChildOrder } from './astro-child.ts';

/**
 * The order build-and-swap sends a waiting astro-build.ts (astro-child.ts): one JSON line, and
 * the input stays open while build-and-swap lives. Undefined when the input ends with no order
 * (the parent did not get the lock, or died first). `onEndAfterOrder` runs when the input ends
 * after the order: build-and-swap died (a SIGKILL closes its end of the pipe at once), and its
 * build must stop writing before the next build takes the lock over.
 */
export function readAstroChildOrder(input: Readable, onEndAfterOrder: () => void = () => undefined): Promise<AstroChildOrder | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    let ordered = false;
    const take = (line: string): void => {
      ordered = true;
      try {
        resolve(parseOrder(line));
      } catch (error) {
        reject(error as Error);
      }
    };
    input.on('data', (chunk: Buffer | string) => {
      if (ordered) return;
      text += String(chunk);
      const end = text.indexOf('\n');
      if (end >= 0) take(text.slice(0, end));
    });
    input.once('end', () => {
      if (ordered) onEndAfterOrder();
      else if (text.trim() === '') resolve(undefined);
      else take(text);
    });
    input.once('error', reject);
  });
}

function parseOrder(text: string): AstroChildOrder {
  const order = JSON.parse(text) as Partial<AstroChildOrder>;
  if (typeof order.outDir !== 'string' || typeof order.popularityFile !== 'string') throw new Error(`astro-build.ts: a bad order on stdin: ${text.slice(0, 200)}`);
  return { outDir: order.outDir, popularityFile: order.popularityFile };
}
