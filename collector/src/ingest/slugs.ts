import type { DataUpdate } from '@hangarstack/shared';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The aircraft slugs the site was built from: one `<slug>.json` per aircraft in the data dir,
 * whose `slug` field must match its file name. Read once at start-up; an empty or unreadable
 * dir stops the collector, since every view would otherwise be rejected.
 */
export function loadAircraftSlugs(dir: string): ReadonlySet<string> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch (error) {
    throw new Error(`AIRCRAFT_DATA_DIR ${dir} cannot be read (${(error as Error).message}); point it at the site's data/aircraft`, {
      cause: error,
    });
  }
  const slugs = new Set<string>();
  for (const file of files) {
    const expected = file.slice(0, -'.json'.length);
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { slug?: unknown };
    if (record.slug !== expected) throw new Error(`${join(dir, file)}: field "slug" is ${JSON.stringify(record.slug)}, expected "${expected}"`);
    slugs.add(expected);
  }
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
