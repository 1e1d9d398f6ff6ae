import { DATA_UPDATE_SCHEMA_VERSION, dataUpdateKey, type DataUpdate } from '@hangarstack/shared';
import type { RecordDigest } from './catalogue.ts';

/**
 * The events that bring the published state up to the catalogue: one per added, changed or
 * removed record, with the top-level fields that changed. `published` is the latest event per key
 * (a removed record's latest event says so). Pure; sorted by key so a publish is deterministic.
 */
export function diffCatalogue(current: ReadonlyMap<string, RecordDigest>, published: ReadonlyMap<string, DataUpdate>, at: number): DataUpdate[] {
  const updates: DataUpdate[] = [];
  for (const [key, now] of current) {
    const before = published.get(key);
    const live = before && before.change !== 'removed' ? before : undefined;
    if (live?.digest === now.digest) continue;
    const fields = live
      ? [...new Set([...Object.keys(now.fieldDigests), ...Object.keys(live.fieldDigests)])].filter((f) => now.fieldDigests[f] !== live.fieldDigests[f]).sort()
      : Object.keys(now.fieldDigests).sort();
    updates.push({ schema: DATA_UPDATE_SCHEMA_VERSION, at, kind: now.kind, slug: now.slug, change: live ? 'changed' : 'added', digest: now.digest, fields, fieldDigests: now.fieldDigests });
  }
  for (const [key, before] of published) {
    if (before.change === 'removed' || current.has(key)) continue;
    updates.push({ schema: DATA_UPDATE_SCHEMA_VERSION, at, kind: before.kind, slug: before.slug, change: 'removed', digest: null, fields: [], fieldDigests: {} });
  }
  return updates.sort((a, b) => dataUpdateKey(a.kind, a.slug).localeCompare(dataUpdateKey(b.kind, b.slug)));
}
