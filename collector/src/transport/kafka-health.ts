import type { Logger } from 'pino';
import type { EmitSystemEvent } from './system-events/emitter.ts';

/**
 * Turns a Kafka client's failures and successes into one `kafka.lost` per outage and one
 * `kafka.restored` (with how long it was down) when it ends: every client of a process (the
 * consumer's group member, its lag probe, its changelog producer) reports here, so an outage seen by
 * several is still one incident on hangarstack.system.events.
 *
 * Restored means answering for `settleMs` without a failure: a broker that has just restarted
 * answers a fetch, then fails a group join while its coordinator loads, and that is the same outage
 * ending, not a second one (the real-broker test saw it as two under load).
 */
export class KafkaHealth {
  readonly #emit: EmitSystemEvent;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #settleMs: number;
  #downSince: number | undefined;
  /** The first success since the last failure of the current outage. */
  #answeringSince: number | undefined;

  constructor(emit: EmitSystemEvent, log: Logger, options: { now?: () => number; settleMs?: number } = {}) {
    this.#emit = emit;
    this.#log = log;
    this.#now = options.now ?? Date.now;
    this.#settleMs = options.settleMs ?? 10_000;
  }

  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** A Kafka request failed (connection refused, timeout, a crashed client). */
  lost(error: unknown): void {
    this.#answeringSince = undefined;
    if (this.#downSince !== undefined) return;
    this.#downSince = this.#now();
    const message = error instanceof Error ? error.message : String(error);
    this.#log.warn({ err: message }, 'Kafka unavailable');
    this.#emit('kafka.lost', { error: message.slice(0, 500) });
  }

  /** A Kafka request succeeded. */
  ok(): void {
    if (this.#downSince === undefined) return;
    const now = this.#now();
    this.#answeringSince ??= now;
    if (now - this.#answeringSince < this.#settleMs) return;
    const downMs = Math.max(0, Math.round(this.#answeringSince - this.#downSince));
    this.#downSince = undefined;
    this.#answeringSince = undefined;
    this.#log.info({ downMs }, 'Kafka is back');
    this.#emit('kafka.restored', { downMs });
  }
}
