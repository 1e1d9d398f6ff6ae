/**
 * The unit of the consumer's state, locally (SQLite) and in the changelog topic alike: one row per
 * partition, aggregate kind, time bucket and item. A row's value replaces the previous one with
 * the same key; `null` deletes it (a tombstone in the compacted topic). New aggregate kinds (for
 * example co-views from another topic) are new `kind`s with their own codec, nothing else changes.
 */
export type RowKind =
  /** Next offset and watermark of the partition (bucket 0, item ''). */
  | 'offset'
  /** Per hour: every aircraft's views and visitor sketch (item ''). */
  | 'views'
  /** Per UTC day the hourly windows no longer reach: every aircraft's views per hour and hour-tagged visitor entries (item '', aircraft-day.ts). */
  | 'viewdays'
  /** Per hour: every query's counts and visitor sketches (item ''). */
  | 'searches'
  /** Per hour: the event ids one batch added to the de-duplication window (item: that batch's first offset). */
  | 'seen'
  /** Per day: the visitors one batch admitted under the per-origin cap (item: that batch's first offset). */
  | 'cap'
  /** Per hour: referrer hosts' and entry pages' visits and origin sketches, from the user activity topic (item ''). */
  | 'activity'
  /** Per hour: search filter combinations and zero-result queries per filter, counts and origin sketches (item ''). */
  | 'filters'
  /** Per day: per aircraft, its bounded table of partners viewed by the same visitors that day, counts and origin sketches (item `s<shard>`, co-view-partners.ts). */
  | 'coviews'
  /** Per day: the visitor-day aircraft sets one batch added to, for co-views (item: that batch's first offset); deleted once the day closes. */
  | 'visitday'
  /** The aircraft slugs one commit gave ids to, for `views` and `viewdays` rows (bucket 0, item: the first id; never rewritten, slug-dictionary.ts). */
  | 'slugs';

export const ROW_KINDS: readonly RowKind[] = ['offset', 'views', 'viewdays', 'searches', 'seen', 'cap', 'activity', 'filters', 'coviews', 'visitday', 'slugs'];

export interface StateRow {
  /** The source partition, `topic:partition`. */
  partition: string;
  kind: RowKind;
  /** Hour or day number since the epoch (0 for `offset`). */
  bucket: number;
  item: string;
  value: Uint8Array | null;
}

/** The changelog record key: `<partition>|<kind>|<bucket>|<item>` (topic names never contain `|`). */
export const rowKey = (row: Pick<StateRow, 'partition' | 'kind' | 'bucket' | 'item'>): string => `${row.partition}|${row.kind}|${row.bucket}|${row.item}`;

export function parseRowKey(key: string): Omit<StateRow, 'value'> | null {
  const parts = key.split('|');
  if (parts.length !== 4) return null;
  const [partition, kind, bucket, item] = parts as [string, string, string, string];
  if (!(ROW_KINDS as readonly string[]).includes(kind) || !/^\d+$/.test(bucket)) return null;
  return { partition, kind: kind as RowKind, bucket: Number(bucket), item };
}

/**
 * The latest version of each row among `records` (in changelog order, keyed by `keyOf`; records
 * without a key are left out), in the order of those latest versions: exactly what compaction
 * leaves of them, and so what a reader of the compacted changelog loads. A row replaces the one
 * with its key, so loading only these gives the state that loading every version gives.
 */
export function latestByKey<T>(records: readonly T[], keyOf: (record: T) => string | null): T[] {
  const keys = records.map(keyOf);
  const last = new Map<string, number>();
  keys.forEach((key, i) => {
    if (key !== null) last.set(key, i);
  });
  return records.filter((_, i) => {
    const key = keys[i];
    return key !== null && key !== undefined && last.get(key) === i;
  });
}
