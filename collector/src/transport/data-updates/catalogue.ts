import { createHash } from 'node:crypto';
import { readRecordDir } from './record-dir.ts';
import { join } from 'node:path';
import { dataUpdateKey, type DataKind } from '@hangarstack/shared';

/** A record as published: its digests, not its content. */
export interface RecordDigest {
  kind: DataKind;
  slug: string;
  digest: string;
  fieldDigests: Record<string, string>;
}

/** JSON with object keys sorted at every level: formatting and key order never count as a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const shortDigest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 16);

export function recordDigest(kind: DataKind, slug: string, record: Record<string, unknown>): RecordDigest {
  return {
    kind,
    slug,
    digest: shortDigest(canonical(record)),
    fieldDigests: Object.fromEntries(Object.keys(record).sort().map((field) => [field, shortDigest(canonical(record[field]))])),
  };
}

const DIRS: Record<DataKind, string> = { aircraft: 'aircraft', manufacturer: 'manufacturers' };

/**
 * Digests of every aircraft and manufacturer under `dataDir`, keyed `<kind>:<slug>`. The file name
 * is the slug (as the site's loader has it); a record whose `slug` disagrees stops the publish,
 * naming the file, since it would publish a page the site does not have.
 */
export function readCatalogue(dataDir: string): Map<string, RecordDigest> {
  const out = new Map<string, RecordDigest>();
  for (const kind of Object.keys(DIRS) as DataKind[]) {
    const dir = join(dataDir, DIRS[kind]);
    for (const { slug, record } of readRecordDir(dir)) {
      out.set(dataUpdateKey(kind, slug), recordDigest(kind, slug, record));
    }
  }
  return out;
}
