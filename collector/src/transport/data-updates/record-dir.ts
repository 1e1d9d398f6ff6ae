import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One `<slug>.json` record of a data dir (data/aircraft, data/manufacturers). */
export interface DirRecord {
  slug: string;
  path: string;
  record: Record<string, unknown>;
}

/**
 * Every record of a data dir in file-name order. The file name is the slug, as the site's loader
 * has it: a record whose `slug` field disagrees, or that is not JSON, throws naming the file, and
 * so does a dir that cannot be read. What the record holds beyond that is its reader's business.
 */
export function readRecordDir(dir: string): DirRecord[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch (error) {
    throw new Error(`${dir} cannot be read (${(error as Error).message}); point it at the site's data dir`, { cause: error });
  }
  return files.sort().map((file) => {
    const slug = file.slice(0, -'.json'.length);
    const path = join(dir, file);
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix it (./hangar data check says more)`, { cause: error });
    }
    if (record.slug !== slug) throw new Error(`${path}: field "slug" is ${JSON.stringify(record.slug)}, expected "${slug}" (the file name)`);
    return { slug, path, record };
  });
}
