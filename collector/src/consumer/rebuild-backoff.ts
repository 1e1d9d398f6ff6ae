/** How long to wait before building again after failed builds (REBUILD_FAILURE_BACKOFF_*). */
export interface BackoffOptions {
  /** The wait after the first failure; doubled per further consecutive failure. 0: no backoff. */
  baseMs: number;
  /** The doubling stops here. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter" for a build that keeps failing: after the n-th failure in
 * a row the next build waits a random time in [d/2, d], d = min(maxMs, baseMs · 2^(n−1)). Half of it
 * is jitter so replicas or restarted consumers that failed together do not retry in step; half is
 * kept so the wait still grows. A success starts again from no wait.
 */
export class FailureBackoff {
  readonly #o: BackoffOptions;
  readonly #random: () => number;
  #failures = 0;
  #currentMs = 0;

  constructor(options: BackoffOptions, random: () => number = Math.random) {
    this.#o = options;
    this.#random = random;
  }

  /** Consecutive failures since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** The wait chosen after the last failure (0 after a success). */
  get currentMs(): number {
    return this.#currentMs;
  }

  /** Records a failure; returns how long the next build must wait. */
  failed(): number {
    this.#failures += 1;
    // 2^(n−1) overflows to Infinity past ~1,000 failures; min() keeps it at the cap.
    const ceiling = Math.min(this.#o.maxMs, this.#o.baseMs * 2 ** (this.#failures - 1));
    this.#currentMs = Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
    return this.#currentMs;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#currentMs = 0;
  }
}
