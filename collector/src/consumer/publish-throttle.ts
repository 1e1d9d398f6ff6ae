/** A publish may take at most this share of the consumer's time: the gap after one is ≥ 4× its duration. */
const MAX_PUBLISH_SHARE = 0.2;

/**
 * Runs `publish` at most once per `intervalMs` however often it is asked for: publishing merges
 * every partition, and while events stream in every batch asks for it. It shares the event loop
 * with consuming, so when a publish takes long (a large state on a busy machine) the next one
 * waits longer: publishing never takes more than a fifth of the time, and the stream keeps flowing.
 */
export class PublishThrottle {
  readonly #publish: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  /** When the last publish ended, and how long the next must wait after it. */
  #lastEnd = 0;
  #gap = 0;

  constructor(publish: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void, now: () => number = Date.now) {
    this.#publish = publish;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
    this.#now = now;
    this.#gap = intervalMs;
  }

  request(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastEnd + this.#gap - this.#now());
    this.#timer = setTimeout(() => {
      const started = this.#now();
      this.#publish()
        .catch(this.#onError)
        .finally(() => {
          this.#lastEnd = this.#now();
          this.#gap = Math.max(this.#intervalMs, ((this.#lastEnd - started) * (1 - MAX_PUBLISH_SHARE)) / MAX_PUBLISH_SHARE);
          this.#timer = undefined;
        });
    }, wait);
  }

  /** Drops a pending publish (the caller publishes once more itself when it stops). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
