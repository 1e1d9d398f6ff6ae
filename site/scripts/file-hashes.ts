import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

/** The content hash of a file's bytes, as FileHashes remembers it. */
export const contentHash = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64url');

/**
 * Content hashes of files, remembered between builds by each file's size, mtime, ctime and inode
 * (`<live dir>/file-hashes.json`): the digests of the data and code dir read ~4,000 files on the
 * real catalogue, which took 0.1–1.3 s of every rebuild on a busy machine, while a stat of each
 * is a few milliseconds. Any write to a file changes its ctime, which no tool can set back, so a
 * changed file is always hashed again.
 */
export class FileHashes {
  readonly #file: string | undefined;
  readonly #known: Map<string, { stamp: string; sha: string }>;
  readonly #seen = new Set<string>();
  #changed = false;

  /** `cacheFile`: where to remember hashes; undefined hashes every file every time. */
  constructor(cacheFile: string | undefined) {
    this.#file = cacheFile;
    let known: [string, { stamp: string; sha: string }][] = [];
    try {
      if (cacheFile) known = Object.entries(JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, { stamp: string; sha: string }>);
    } catch {
      // No cache yet, or a damaged one: hash everything once.
    }
    this.#known = new Map(known);
  }

  /** The SHA-256 of `path`'s content. */
  hash(path: string): string {
    const s = statSync(path, { bigint: true });
    const stamp = `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
    this.#seen.add(path);
    const known = this.#known.get(path);
    if (known?.stamp === stamp) return known.sha;
    const sha = contentHash(readFileSync(path));
    this.#known.set(path, { stamp, sha });
    this.#changed = true;
    return sha;
  }

  /** Writes the cache (atomically) when something was hashed anew or is gone; only the files asked for this time. */
  save(): void {
    if (!this.#file || (!this.#changed && this.#seen.size === this.#known.size)) return;
    const temp = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries([...this.#known].filter(([path]) => this.#seen.has(path)))));
    renameSync(temp, this.#file);
    this.#changed = false;
  }
}
