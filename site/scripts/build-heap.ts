/**
 * The full build's heap growth (site/BUILD-PERFORMANCE.md, "Where a full build spends its time"):
 * after a full GC the heap holds ~170 MB at the end of a 10k build's generate, but V8 let garbage
 * grow it to ~650 MB. A heap allowed to grow by a set share past its live set keeps that in check
 * with no fixed cap (a cap would fail a bigger catalogue).
 *
 * It is set when generate starts (`astro:build:ssr`, Astro's last hook before it, once the Vite
 * builds are done), not on the child's command line: any V8 flag off its default makes V8 reject
 * the code cache Node's built-in modules ship with, so that the child and each of its threads
 * compiled every built-in module they loaded from source. By generate, the toolchain and the
 * threads are loaded; what loads later is the build's own chunks, new files every build.
 * One full GC then sets the heap's next limit from its live set at the new growth: without it the
 * limit V8 had set during bundling, at its default growth, stood through generate (10k: peak RSS
 * 719 MiB with the flag from the start, 802 without the GC, 703 with it).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * How much the heap may grow past what the last full GC kept, in percent. Each full collection
 * marks the live set again on the core Pagefind needs: at 10k a quarter ran ~30 of them, half ~16,
 * double 9 (V8's GC threads 3.9-4.2 -> 2.8-3.2 s of CPU against half, four pairs).
 */
export const BUILD_HEAP_GROWING_PERCENT = 100;

/**
 * Caps the heap's growth from now on, then collects once so the cap applies from this point;
 * the GC's milliseconds. Process-wide: every V8 flag is.
 */
export function capHeapGrowth(): number {
  v8.setFlagsFromString(`--heap-growing-percent=${BUILD_HEAP_GROWING_PERCENT}`);
  // `gc` is exposed to contexts made after the flag; the main context keeps no such global.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const started = performance.now();
  gc();
  return performance.now() - started;
}
