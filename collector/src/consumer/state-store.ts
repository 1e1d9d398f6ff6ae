import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { PartitionState, type PartitionStateJson } from './partition-state.ts';

/** Where partition states live; shared by every member of the consumer group. */
export interface StateStore {
  load(key: string): PartitionState | null;
  loadAll(): PartitionState[];
  save(state: PartitionState): void;
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
