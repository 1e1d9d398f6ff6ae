import type { Popularity } from '@hangarstack/shared';
import { writeFileAtomic } from './atomic-file.ts';
import type { SearchReport } from './snapshot/search-report.ts';

/** Where the published snapshot goes: a file now; object storage or an HTTP PUT behind the same port. */
export interface PopularityStore {
  readonly location: string;
  publish(popularity: Popularity, report: SearchReport): Promise<void>;
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
