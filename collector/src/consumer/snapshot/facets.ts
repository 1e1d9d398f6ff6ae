import { eraOf, type FacetPopularity, type FacetStat } from '@hangarstack/shared';
import type { PartitionState } from '../state/partition-state.ts';
import { HOURS_PER_DAY, type AircraftDay } from '../state/aircraft-day.ts';
import type { AircraftHour } from '../state/aircraft-hour.ts';
import { SketchUnion, type Sketch } from '../state/sketch.ts';
import type { Catalogue } from '../catalogue.ts';
import { meetsKAnonymity } from './k-anonymity.ts';
import { WINDOWS, inWindow } from './windows.ts';

/** How many of each facet the snapshot keeps (the home page shows fewer: `SHOWN_LIMITS.facets`). */
const LIMIT = 20;

/**
 * Popular manufacturers, roles and eras over 7 days, with the integrity rules of aircraft ranks:
 * a facet's visitors are the union of its aircraft's weekly visitor sketches, which are already
 * capped per origin per aircraft per day (so a visitor of three Boeings counts once for Boeing,
 * and one network's many user agents count as at most `MAX_VISITORS_PER_ORIGIN` per aircraft);
 * a facet is listed only when its aircraft were viewed from at least `k` distinct origins
 * (the user activity topic's `view:<slug>` origin sketches, merged across partitions). Aircraft
 * the catalogue does not know (removed) count for no facet.
 */
export function popularFacets(states: readonly PartitionState[], asOfHour: number, catalogue: Catalogue, k: number): FacetPopularity {
  // Per aircraft, its hour sketches of the week: visitors (views partitions, as flattened (hour, slot)
  // pairs: packed hours are counted from their bytes) and origins (activity partitions).
  const perAircraft = new Map<string, { visitors: (AircraftHour | number)[]; days: (AircraftDay | number)[]; origins: Sketch[] }>();
  const of = (slug: string) => {
    let entry = perAircraft.get(slug);
    if (!entry) perAircraft.set(slug, (entry = { visitors: [], days: [], origins: [] }));
    return entry;
  };
  for (const state of states) {
    for (const [hour, slugs] of state.aircraft) {
      if (!inWindow(asOfHour, hour, WINDOWS.d7)) continue;
      for (let slot = 0; slot < slugs.size; slot++) of(slugs.slugAt(slot)).visitors.push(slugs, slot);
    }
    // Folded days lie before the hourly windows (partition-state.ts): read only if the week reaches one.
    for (const [day, slugs] of state.aircraftDays) {
      const start = day * HOURS_PER_DAY;
      const from = Math.max(start, asOfHour - WINDOWS.d7 + 1) - start;
      const to = Math.min(start + HOURS_PER_DAY - 1, asOfHour) - start;
      if (from > to) continue;
      for (let slot = 0; slot < slugs.size; slot++) of(slugs.slugAt(slot)).days.push(slugs, slot, from, to);
    }
    for (const [hour, items] of state.activity) {
      if (!inWindow(asOfHour, hour, WINDOWS.d7)) continue;
      for (const [item, bucket] of items) if (item.startsWith('view:')) of(item.slice('view:'.length)).origins.push(bucket.origins);
    }
  }
  const facets = { manufacturers: new Map<string, string[]>(), roles: new Map<string, string[]>(), eras: new Map<string, string[]>() };
  const add = (map: Map<string, string[]>, id: string, slug: string) => {
    const list = map.get(id);
    if (list) list.push(slug);
    else map.set(id, [slug]);
  };
  for (const slug of perAircraft.keys()) {
    const entry = catalogue.get(slug);
    if (!entry) continue;
    add(facets.manufacturers, entry.manufacturer, slug);
    for (const role of entry.roles) add(facets.roles, role, slug);
    const era = eraOf(entry.firstFlight);
    // "First flight unknown" is a gap in the data, not an era anyone is interested in.
    if (era !== 'unknown') add(facets.eras, era, slug);
  }
  // Unions are counted in place (one reused register array each), as the aircraft windows are.
  const union = new SketchUnion();
  const count = (slugs: readonly string[], pick: 'visitors' | 'origins'): number => {
    union.clear();
    for (const slug of slugs) {
      const entry = perAircraft.get(slug);
      if (!entry) continue;
      if (pick === 'origins') for (const sketch of entry.origins) union.add(sketch);
      else {
        for (let i = 0; i < entry.visitors.length; i += 2) (entry.visitors[i] as AircraftHour).unionInto(entry.visitors[i + 1] as number, union);
        const days = entry.days;
        for (let i = 0; i < days.length; i += 4) (days[i] as AircraftDay).unionInto(days[i + 1] as number, union, days[i + 2] as number, days[i + 3] as number);
      }
    }
    return union.count();
  };
  const ranked = (map: Map<string, string[]>): FacetStat[] =>
    [...map]
      .filter(([, slugs]) => meetsKAnonymity(count(slugs, 'origins'), k))
      .map(([id, slugs]) => ({ id, visitors: count(slugs, 'visitors') }))
      .filter((f) => f.visitors > 0)
      .sort((a, b) => b.visitors - a.visitors || a.id.localeCompare(b.id))
      .slice(0, LIMIT);
  return { manufacturers: ranked(facets.manufacturers), roles: ranked(facets.roles), eras: ranked(facets.eras) };
}
