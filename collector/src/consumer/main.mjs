/**
 * The popularity consumer's entry: `node collector/src/consumer/main.ts`, a symlink to this file
 * (service.ts is the process itself: configuration, wiring, metrics, clean stop).
 *
 * Why plain JavaScript behind a `.ts` name (as site/scripts/build-and-swap.ts): Node takes a
 * program's format from the file the link resolves to. A TypeScript entry makes Node load its
 * TypeScript stripper (WebAssembly) and strip every module on every start. Here the compile cache
 * is turned on first, so the ~600 modules below come from it already stripped and compiled, and
 * the stripper is never loaded once the cache is warm: any restart on the same disk (a member
 * after a crash, `./hangar start`, the tests and the bench). 1 M bench records, 3 interleaved pairs
 * (07:18, load 10-11.7): main-thread CPU 5.93/5.71/5.81 -> 5.44/5.33/5.59 s, peak RSS 191-199 ->
 * 182-188 MiB, start-up 460-772 -> 372-616 ms. A cold cache (a fresh clone or pod) starts as before
 * and fills it. NODE_COMPILE_CACHE chooses the directory; NODE_DISABLE_COMPILE_CACHE=1 turns it
 * off; a directory that cannot be written leaves the cache off, nothing else.
 */
import module from 'node:module';
import { fileURLToPath } from 'node:url';

module.enableCompileCache(process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../../node_modules/.cache/hangarstack-compile-cache', import.meta.url)));
await import('./service.ts');
