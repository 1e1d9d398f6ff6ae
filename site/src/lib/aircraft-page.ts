import { visitorBucket, type Popularity } from '@hangarstack/shared';
import { digest, relatedTo, type AircraftEntry, type ManufacturerEntry } from './catalog.ts';

/**
 * What an aircraft page renders, and the incremental build's cache key for it (everything the
 * page shows). One definition for the prerendered page and its on-demand twin, so both render
 * the same bytes.
 */
export function aircraftPageProps(list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>, popularity: Popularity, aircraft: AircraftEntry) {
  const stats = popularity.aircraft[aircraft.id];
  const shown = { rank: stats?.rank ?? null, week: visitorBucket(stats?.visitors.d7 ?? 0) };
  const related = relatedTo(list, aircraft);
  const maker = makers.get(aircraft.data.manufacturer);
  const cacheKey = digest([aircraft.data, shown, maker?.data.name, related.map((r) => [r.id, r.data.name, r.data.country, r.data.firstFlight, r.data.roles])]);
  return { props: { aircraft, related, makerName: maker?.data.name, shown }, cacheKey };
}
