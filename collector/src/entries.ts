/**
 * Where the two services start, for whoever runs them as processes (`./hangar start`, the
 * end-to-end tests, the bench): one place, so a move never leaves a stale path behind.
 */
import { fileURLToPath } from 'node:url';

/** `node <collectorEntry>`: the beacon collector. */
export const collectorEntry = fileURLToPath(new URL('./ingest/main.ts', import.meta.url));
/** `node <consumerEntry>`: the popularity consumer. */
export const consumerEntry = fileURLToPath(new URL('./consumer/main.ts', import.meta.url));

/**
 * V8 options the consumer runs with, wherever it is started (`node ...consumerNodeArgs consumerEntry`;
 * the container image's CMD says the same, deploy/manifests.test.ts checks it). Node 24 lets the
 * young generation grow to 128 MB, and the stream allocates fast: a 2 MB semi-space keeps the
 * short-lived records small (the 1 M bench's peak RSS fell by ~80–100 MB) at no measured cost in
 * throughput. The old generation has no limit: a larger state must not hit one. Instead V8 grows
 * it by 25 % over what the last full collection kept (`--heap-growing-percent=25`; the site
 * build, whose live set is ~170 MB, uses 100), not by its default factor of up to 4: at the 1 M bench ~56 MB of the old space was
 * live and ~70 MB was garbage waiting for a full collection. Three quiet interleaved runs each of
 * the same 1 M stream (16:47, load ~1.5-2): peak RSS 284-287 -> 210-216 MiB, events/s 83-102k ->
 * 76-83k (about -15 %, still well over the 50k target).
 * That growth is never less than a floor of 64 MB of old space (`--initial-old-space-size=64`, not a
 * limit): with ~21-28 MB live, 25 % meant a full collection every ~6 MB promoted, about 5 a second
 * (150+ per 1 M records, ~4.6 s of the ~13 s of CPU with their incremental marking). With the floor
 * they fall to ~45. Interleaved pairs of the 1 M stream (17:45, load 14-18): CPU 17.6-18.5 ->
 * 11.1-11.5 s, events/s 15-27k -> 40-41k, peak RSS 198-209 -> 211-222 MiB. A larger state grows
 * by its 25 % as before (the floor only matters below ~51 MB live).
 */
export const consumerNodeArgs: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=25', '--initial-old-space-size=64'];

/**
 * Environment the consumer runs with, wherever it is started (beside `consumerNodeArgs`: the local
 * stack's wiring, the test and bench starter, and the image's ENV, which deploy/manifests.test.ts
 * checks). glibc's malloc, not V8, held the rest of the consumer's peak RSS at 10 M bench views:
 * RssAnon less V8's committed heap and Node's external memory was ~96 MB, grown through the run.
 * - `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (V8's compiler and GC threads, the
 *   libuv pool) an arena of its own, up to 8 per core, and a freed arena is kept, not returned.
 * - `MALLOC_MMAP_THRESHOLD_`: a fixed threshold. By default it rises to the size of any freed
 *   mmapped block (up to 32 MB), so after the first large fetch buffer or state row is freed,
 *   blocks of that size come from the heap, where a freed one is reused but rarely returned.
 * Ignored where the C library is not glibc.
 */
export const consumerEnv: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
