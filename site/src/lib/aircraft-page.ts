import { alsoViewedShown, visitorBucket, type Popularity } from '@hangarstack/shared';
import { catalogIndex, digest, pick, relatedTo, type AircraftEntry, type ManufacturerEntry } from './catalog.ts';

/**
 * What an aircraft page renders, and the incremental build's cache key for it (everything the
 * page shows). One definition for the prerendered page and its on-demand twin, so both render
 * the same bytes.
 */
export function aircraftPageProps(list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>, popularity: Popularity, aircraft: AircraftEntry) {
  const stats = popularity.aircraft[aircraft.id];
  const shown = { rank: stats?.rank ?? null, week: visitorBucket(stats?.visitors.d7 ?? 0) };
  // "Visitors also viewed" (co-views past k origins) when the consumer published any this catalogue
  // knows, else the curated related list: the same cut as `shownSignatures`, so a list change rebuilds the page.
  const { bySlug } = catalogIndex(list);
  const alsoViewed = pick(list, alsoViewedShown(popularity.alsoViewed?.[aircraft.id] ?? [], (slug) => bySlug.has(slug)));
  const related = alsoViewed.length > 0 ? alsoViewed : relatedTo(list, aircraft);
  const relatedKind: 'also-viewed' | 'curated' = alsoViewed.length > 0 ? 'also-viewed' : 'curated';
  const maker = makers.get(aircraft.data.manufacturer);
  const cacheKey = digest([aircraft.data, shown, maker?.data.name, relatedKind, related.map((r) => [r.id, r.data.name, r.data.country, r.data.firstFlight, r.data.roles])]);
  return { props: { aircraft, related, relatedKind, makerName: maker?.data.name, shown }, cacheKey };
}
