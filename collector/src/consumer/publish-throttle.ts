/** A publish may take at most this share of the consumer's time: the gap after one is ≥ 4× its duration. */
const MAX_PUBLISH_SHARE = 0.2;

/**
 * Runs `publish` at most once per `intervalMs` however often it is asked for: publishing merges
 * every partition, and while events stream in every batch asks for it. It shares the event loop
 * with consuming, so when a publish takes long (a large state on a busy machine) the next one
 * waits longer: publishing never takes more than a fifth of the time, and the stream keeps flowing.
 * While the consumer is behind (catching up a backlog) it publishes at most once per `behindMs`:
 * what it would publish is behind too, and each publish costs the catching up. A request that is
 * no longer behind brings a publish waiting for that longer gap forward.
 */
export class PublishThrottle {
  readonly #publish: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  readonly #behindMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** When the scheduled publish is due, and whether it has started. */
  #due = 0;
  #running = false;
  /** When the last publish ended, and how long the next must wait after it. */
  #lastEnd = 0;
  #gap = 0;

  constructor(publish: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void, now: () => number = Date.now, behindMs = intervalMs) {
    this.#publish = publish;
    this.#intervalMs = intervalMs;
    this.#behindMs = behindMs;
    this.#onError = onError;
    this.#now = now;
    this.#gap = intervalMs;
  }

  /** `behind`: the consumer is catching up a backlog (see `behindMs`). */
  request(behind = false): void {
    const due = this.#lastEnd + Math.max(this.#gap, behind ? this.#behindMs : 0);
    if (this.#timer) {
      if (this.#running || this.#due <= due) return;
      clearTimeout(this.#timer);
    }
    this.#due = due;
    this.#timer = setTimeout(() => {
      this.#running = true;
      const started = this.#now();
      this.#publish()
        .catch(this.#onError)
        .finally(() => {
          this.#lastEnd = this.#now();
          this.#gap = Math.max(this.#intervalMs, ((this.#lastEnd - started) * (1 - MAX_PUBLISH_SHARE)) / MAX_PUBLISH_SHARE);
          this.#timer = undefined;
          this.#running = false;
        });
    }, Math.max(0, due - this.#now()));
  }

  /** Drops a pending publish (the caller publishes once more itself when it stops). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = false;
  }
}
