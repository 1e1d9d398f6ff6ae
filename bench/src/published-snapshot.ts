/**
 * Watching the popularity JSON a consumer publishes, from a bench that measures that consumer. A
 * snapshot is read and checked only when a new one was published (the consumer renames each into
 * place: another inode, size or mtime): reading and checking a ~250 KB snapshot costs ~4-6 ms of
 * CPU, and read at every 25 ms poll it took ~15-20 % of a core from the consumer being measured
 * on a 2-core machine, while the consumer publishes once a second.
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Popularity } from '@hangarstack/shared';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';

/** Records a snapshot reflects: its next offsets summed over every partition it read. */
export const appliedIn = (p: Popularity | null): number => (p ? Object.values(p.source.offsets).reduce((sum, o) => sum + Number(o), 0) : 0);

/** The snapshot last published at a path, read again only once another one is. */
export class PublishedSnapshot {
  readonly #file: string;
  #version = '';
  #snapshot: Popularity | null = null;

  constructor(file: string) {
    this.#file = file;
  }

  /** The newest snapshot published (null while there is none); the same object until another is published. */
  latest(): Popularity | null {
    const stat = statSync(this.#file, { throwIfNoEntry: false });
    const version = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : '';
    if (version !== this.#version) {
      this.#version = version;
      this.#snapshot = stat ? readPopularityFile(this.#file) : null;
    }
    return this.#snapshot;
  }
}

/** Waits until the snapshot published at `file` reflects `count` records (`what` names them in the timeout's error). */
export async function waitForApplied(file: string, count: number, timeoutMs: number, what = 'records'): Promise<Popularity> {
  const published = new PublishedSnapshot(file);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = published.latest();
    if (p && appliedIn(p) >= count) return p;
    if (Date.now() > deadline) throw new Error(`the consumer applied ${appliedIn(p)} of ${count} ${what} within ${timeoutMs} ms`);
    await sleep(25);
  }
}
