import { SHOWN_LIMITS, visitorBucket, type Popularity } from '@hangarstack/shared';
import { pick, type AircraftEntry } from './catalog.ts';

/** The popular and trending lists a page shows, with a note per card. */
export function shownLists(list: AircraftEntry[], popularity: Popularity) {
  const popular = pick(list, popularity.popular).slice(0, SHOWN_LIMITS.popular);
  const trending = pick(list, popularity.trending).slice(0, SHOWN_LIMITS.trending);
  const notes = new Map<string, string>();
  for (const a of popular) {
    const stats = popularity.aircraft[a.id];
    if (stats?.rank) notes.set(a.id, `#${stats.rank} · ${visitorBucket(stats.visitors.d7).toLocaleString('en-GB')}+ this week`);
  }
  for (const a of trending) if (!notes.has(a.id)) notes.set(a.id, 'trending ↑');
  return { popular, trending, notes, searches: popularity.searches.top.slice(0, SHOWN_LIMITS.searches) };
}
