/**
 * Beacons with known event ids, so a drill can tell exactly which acknowledged events reached
 * Kafka and the popularity JSON.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Beacon } from '@hangarstack/shared';

/** Aircraft slugs the collector accepts: the real catalogue's file names. */
export function catalogueSlugs(dir = join(import.meta.dirname, '..', '..', 'data', 'aircraft')): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Makes beacons of `size` view events with ids `<run>-<n>` (n counts up from 0 across beacons). */
export function beaconFactory(run: string, slugs: readonly string[], size: number, now: () => number = Date.now) {
  if (slugs.length === 0) throw new Error('no aircraft slugs: is data/aircraft empty?');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(run)) throw new Error(`run id "${run}" must be 1–40 URL-safe characters`);
  let next = 0;
  return function makeBeacon(): { beacon: Beacon; ids: string[] } {
    const events = Array.from({ length: size }, () => {
      const n = next++;
      const id = `${run}-${String(n).padStart(12, '0')}`;
      return { type: 'view' as const, id, ts: now(), aircraft: slugs[n % slugs.length] as string };
    });
    return { beacon: { v: 1, events }, ids: events.map((e) => e.id) };
  };
}
