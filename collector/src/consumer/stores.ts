import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Popularity } from '@hangarstack/shared';
import { writeFileAtomic } from './atomic-file.ts';
import { PartitionState, type PartitionStateJson } from './partition-state.ts';
import type { SearchReport } from './publish.ts';

/** Where partition states live; shared by every member of the consumer group. */
export interface StateStore {
  load(key: string): PartitionState | null;
  loadAll(): PartitionState[];
  save(state: PartitionState): void;
}

/** Where the published snapshot goes: a file now; object storage or an HTTP PUT behind the same port. */
export interface PopularityStore {
  readonly location: string;
  publish(popularity: Popularity, report: SearchReport): Promise<void>;
}

const fileName = (key: string) => `${encodeURIComponent(key)}.state.json`;

/** One JSON file per partition in a directory, each written atomically with its offset inside. */
export class FileStateStore implements StateStore {
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
  }
  load(key: string): PartitionState | null {
    const path = join(this.#dir, fileName(key));
    if (!existsSync(path)) return null;
    return PartitionState.fromJSON(JSON.parse(readFileSync(path, 'utf8')) as PartitionStateJson);
  }
  loadAll(): PartitionState[] {
    if (!existsSync(this.#dir)) return [];
    return readdirSync(this.#dir)
      .filter((f) => f.endsWith('.state.json'))
      .sort()
      .map((f) => PartitionState.fromJSON(JSON.parse(readFileSync(join(this.#dir, f), 'utf8')) as PartitionStateJson));
  }
  save(state: PartitionState): void {
    writeFileAtomic(join(this.#dir, fileName(state.key)), JSON.stringify(state));
  }
}

/** The public popularity JSON and, beside it, the ops search report (never published on the site). */
export class FilePopularityStore implements PopularityStore {
  readonly location: string;
  readonly #reportPath: string;
  constructor(path: string, reportPath: string) {
    this.location = path;
    this.#reportPath = reportPath;
  }
  async publish(popularity: Popularity, report: SearchReport): Promise<void> {
    writeFileAtomic(this.location, `${JSON.stringify(popularity, null, 2)}\n`);
    writeFileAtomic(this.#reportPath, `${JSON.stringify(report, null, 2)}\n`);
  }
}
