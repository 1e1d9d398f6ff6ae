import { emptyFacets, facetsShown, SHOWN_LIMITS, visitorBucket, type Popularity, type Role } from '@hangarstack/shared';
import { pick, ROLE_LABELS, type AircraftEntry, type ManufacturerEntry } from './catalog.ts';
import { formatNumber } from './units.ts';

/** The popular and trending lists a page shows, with a note per card. */
export function shownLists(list: AircraftEntry[], popularity: Popularity) {
  const popular = pick(list, popularity.popular).slice(0, SHOWN_LIMITS.popular);
  const trending = pick(list, popularity.trending).slice(0, SHOWN_LIMITS.trending);
  const notes = new Map<string, string>();
  for (const a of popular) {
    const stats = popularity.aircraft[a.id];
    if (stats?.rank) notes.set(a.id, `#${stats.rank} · ${formatNumber(visitorBucket(stats.visitors.d7))}+ this week`);
  }
  for (const a of trending) if (!notes.has(a.id)) notes.set(a.id, 'trending ↑');
  return { popular, trending, notes, searches: popularity.searches.top.slice(0, SHOWN_LIMITS.searches) };
}

export interface FacetLink {
  href: string;
  label: string;
}

/**
 * The popular manufacturers, roles and eras the home page shows, as links to their list pages, in
 * the consumer's order and cut as `shownSignatures` cuts them (so a change rebuilds the home page).
 * A manufacturer or era this build has no page for is left out.
 */
export function popularFacetLinks(popularity: Popularity, makers: ReadonlyMap<string, ManufacturerEntry>, eras: ReadonlySet<string>) {
  const shown = facetsShown(popularity.facets ?? emptyFacets());
  return {
    manufacturers: shown.manufacturers.flatMap((f): FacetLink[] => {
      const maker = makers.get(f.id);
      return maker ? [{ href: `/manufacturer/${f.id}/`, label: maker.data.name }] : [];
    }),
    roles: shown.roles.flatMap((f): FacetLink[] => (f.id in ROLE_LABELS ? [{ href: `/role/${f.id}/`, label: ROLE_LABELS[f.id as Role] }] : [])),
    eras: shown.eras.flatMap((f): FacetLink[] => (eras.has(f.id) ? [{ href: `/era/${f.id}/`, label: f.id }] : [])),
  };
}
