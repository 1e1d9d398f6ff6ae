/**
 * mulberry32: a tiny, fast, seeded PRNG returning numbers in [0, 1). The same seed gives the same
 * sequence on every run and machine, so synthetic data (scripts/data/synthetic.ts) and bench
 * streams (bench/src/view-stream.ts) are reproducible; the quality is ample for test data, never
 * for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
