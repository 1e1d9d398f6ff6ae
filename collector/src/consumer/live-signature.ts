import { existsSync, readFileSync } from 'node:fs';
import { emptyPopularity, popularitySchema, shownSignature } from '@hangarstack/shared';
import { writeFileAtomic } from './atomic-file.ts';

/**
 * What the live site shows, as a `shownSignature`, kept in `<state dir>/rebuild.json` after each
 * successful rebuild. Before the first rebuild the live site was built from the popularity file
 * that is there at start (or from none), so that is what the consumer compares against.
 */
export class LiveSignature {
  readonly #path: string;
  readonly #popularityFile: string;
  readonly #kAnonymity: number;

  constructor(path: string, popularityFile: string, kAnonymity: number) {
    this.#path = path;
    this.#popularityFile = popularityFile;
    this.#kAnonymity = kAnonymity;
  }

  read(): string {
    if (existsSync(this.#path)) return (JSON.parse(readFileSync(this.#path, 'utf8')) as { signature: string }).signature;
    const empty = shownSignature(emptyPopularity(this.#kAnonymity));
    if (!existsSync(this.#popularityFile)) return empty;
    const parsed = popularitySchema.safeParse(JSON.parse(readFileSync(this.#popularityFile, 'utf8')));
    return parsed.success ? shownSignature(parsed.data) : empty;
  }

  write(signature: string): void {
    writeFileAtomic(this.#path, JSON.stringify({ signature }));
  }
}
