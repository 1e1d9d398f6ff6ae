import type { Readable } from 'node:stream';
import type { AstroChildOrder } from './astro-child.ts';

/**
 * The order build-and-swap sends a waiting astro-build.ts (astro-child.ts): one JSON line, then
 * end of input. Undefined when the input ends empty (the parent did not get the lock, or died).
 */
export async function readAstroChildOrder(input: Readable): Promise<AstroChildOrder | undefined> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  if (text.trim() === '') return undefined;
  const order = JSON.parse(text) as Partial<AstroChildOrder>;
  if (typeof order.outDir !== 'string' || typeof order.popularityFile !== 'string') throw new Error(`astro-build.ts: a bad order on stdin: ${text.slice(0, 200)}`);
  return { outDir: order.outDir, popularityFile: order.popularityFile };
}
