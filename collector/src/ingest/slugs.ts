import type { DataUpdate } from '@hangarstack/shared';
import { readRecordDir } from '../transport/data-updates/record-dir.ts';

/**
 * The aircraft slugs the site was built from: one `<slug>.json` per aircraft in the data dir,
 * whose `slug` field must match its file name. Read once at start-up; an empty or unreadable
 * dir stops the collector, since every view would otherwise be rejected.
 */
export function loadAircraftSlugs(dir: string): ReadonlySet<string> {
  const slugs = new Set(readRecordDir(dir).map((r) => r.slug));
  if (slugs.size === 0) throw new Error(`AIRCRAFT_DATA_DIR ${dir} holds no aircraft (*.json); point it at the site's data/aircraft`);
  return slugs;
}

/**
 * Applies data updates to the collector's live set of aircraft slugs: an added aircraft's views
 * are accepted at once, a removed one's rejected, without a restart. Returns what changed.
 */
export function applyDataUpdates(slugs: Set<string>, updates: readonly DataUpdate[]): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const update of updates) {
    if (update.kind !== 'aircraft') continue;
    if (update.change === 'removed') {
      if (slugs.delete(update.slug)) removed.push(update.slug);
    } else if (!slugs.has(update.slug)) {
      slugs.add(update.slug);
      added.push(update.slug);
    }
  }
  return { added, removed };
}
