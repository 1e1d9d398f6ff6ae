/**
 * Runs `publish` at most once per `intervalMs` however often it is asked for: publishing merges
 * every partition, and while events stream in every batch asks for it.
 */
export class PublishThrottle {
  readonly #publish: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #last = 0;

  constructor(publish: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void) {
    this.#publish = publish;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  request(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#last + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#last = Date.now();
      this.#publish().catch(this.#onError);
    }, wait);
  }

  /** Drops a pending publish (the caller publishes once more itself when it stops). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
