import type { Logger } from 'pino';
import type { EmitSystemEvent } from './system-events/emitter.ts';

/**
 * Turns a Kafka client's failures and successes into one `kafka.lost` per outage and one
 * `kafka.restored` (with how long it was down) when it ends: every client of a process (the
 * consumer's group member, its lag probe, its changelog producer) reports here, so an outage seen by
 * several is still one incident on hangarstack.system.events.
 */
export class KafkaHealth {
  readonly #emit: EmitSystemEvent;
  readonly #log: Logger;
  readonly #now: () => number;
  #downSince: number | undefined;

  constructor(emit: EmitSystemEvent, log: Logger, now: () => number = Date.now) {
    this.#emit = emit;
    this.#log = log;
    this.#now = now;
  }

  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** A Kafka request failed (connection refused, timeout, a crashed client). */
  lost(error: unknown): void {
    if (this.#downSince !== undefined) return;
    this.#downSince = this.#now();
    const message = error instanceof Error ? error.message : String(error);
    this.#log.warn({ err: message }, 'Kafka unavailable');
    this.#emit('kafka.lost', { error: message.slice(0, 500) });
  }

  /** A Kafka request succeeded. */
  ok(): void {
    if (this.#downSince === undefined) return;
    const downMs = Math.max(0, Math.round(this.#now() - this.#downSince));
    this.#downSince = undefined;
    this.#log.info({ downMs }, 'Kafka is back');
    this.#emit('kafka.restored', { downMs });
  }
}
