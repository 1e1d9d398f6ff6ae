import { z } from 'zod';
import { slugSchema } from './slug.ts';

/**
 * The popularity JSON the consumer publishes and the site reads at build time (and, as
 * progressive enhancement, at run time). Versioned; written atomically (temp file + rename).
 */

export const POPULARITY_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();
const windowCounts = z.strictObject({ h24: count, d7: count, d30: count });

export const aircraftPopularitySchema = z.strictObject({
  /** Page views in the rolling windows. */
  views: windowCounts,
  /** Distinct visitors (daily-salted hashes) in the rolling windows: what ranking uses. */
  visitors: windowCounts,
  /** Recent interest against this aircraft's own baseline, smoothed; 0 = no change. */
  trending: z.number().finite(),
  /** 1-based rank by visitors over 7 days; null when it had no visitors. */
  rank: z.number().int().positive().nullable(),
});

export const searchQueryStatSchema = z.strictObject({
  /** Normalised query. Published only when `visitors` reaches the k-anonymity floor. */
  query: z.string().min(1).max(100),
  searches: count,
  visitors: count,
  /** Share of these searches that ended in a result click, 0..1. */
  clickThrough: z.number().min(0).max(1),
});

/** Where the snapshot's input stopped: per source partition, the next offset to read. */
export const sourcePositionSchema = z.strictObject({
  kind: z.enum(['kafka', 'embedded']),
  /** `topic:partition` → next offset (a decimal string, as Kafka offsets are 64-bit). */
  offsets: z.record(z.string(), z.string().regex(/^\d+$/)),
});

/** A manufacturer (its slug), a role or an era (`1950s`) with its distinct visitors over 7 days. */
export const facetStatSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,100}$/),
  /** Distinct visitors over 7 days to any of its aircraft, each capped per origin as for ranks. */
  visitors: count,
});

/**
 * Popular manufacturers, roles and eras, most visitors first; each listed only when visitors from
 * at least `K_ANONYMITY` distinct origins viewed its aircraft.
 */
export const facetPopularitySchema = z.strictObject({
  manufacturers: z.array(facetStatSchema),
  roles: z.array(facetStatSchema),
  eras: z.array(facetStatSchema),
});

/** How many co-viewed aircraft the consumer publishes per aircraft (the page shows `SHOWN_LIMITS.alsoViewed` known ones). */
export const ALSO_VIEWED_PUBLISHED = 8;

export const popularitySchema = z.strictObject({
  schema: z.literal(POPULARITY_SCHEMA_VERSION),
  /** When this snapshot was written (ISO 8601). */
  generatedAt: z.iso.datetime(),
  /** Event time (epoch ms) the rolling windows end at. */
  asOf: z.number().int().nonnegative(),
  /** Per aircraft that had any event in the last 30 days. */
  aircraft: z.record(slugSchema, aircraftPopularitySchema),
  /** Aircraft ordered by visitors over 7 days (ties: views, then slug). */
  popular: z.array(slugSchema),
  /** Aircraft ordered by trending score, only those trending upwards. */
  trending: z.array(slugSchema),
  /** Top searches above the k-anonymity floor. */
  searches: z.strictObject({
    kAnonymity: z.number().int().positive(),
    top: z.array(searchQueryStatSchema),
  }),
  source: sourcePositionSchema,
  /** Popular manufacturers, roles and eras (absent in snapshots written before they existed). */
  facets: facetPopularitySchema.optional(),
  /**
   * "Visitors also viewed": per aircraft, the aircraft the same visitors viewed on the same day,
   * most distinct origins first; only pairs seen from at least `K_ANONYMITY` distinct origins.
   */
  alsoViewed: z.record(slugSchema, z.array(slugSchema).max(ALSO_VIEWED_PUBLISHED)).optional(),
});

export type AircraftPopularity = z.infer<typeof aircraftPopularitySchema>;
export type SearchQueryStat = z.infer<typeof searchQueryStatSchema>;
export type Popularity = z.infer<typeof popularitySchema>;
export type FacetStat = z.infer<typeof facetStatSchema>;
export type FacetPopularity = z.infer<typeof facetPopularitySchema>;

/** No popular facets yet. */
export const emptyFacets = (): FacetPopularity => ({ manufacturers: [], roles: [], eras: [] });

/**
 * The snapshot of a stream nothing has been read from: what the site shows before the consumer
 * has published, and what the rebuild trigger compares against on a fresh start.
 */
export function emptyPopularity(kAnonymity = 1, kind: 'kafka' | 'embedded' = 'embedded'): Popularity {
  return {
    schema: POPULARITY_SCHEMA_VERSION,
    generatedAt: new Date(0).toISOString(),
    asOf: 0,
    aircraft: {},
    popular: [],
    trending: [],
    searches: { kAnonymity, top: [] },
    source: { kind, offsets: {} },
    facets: emptyFacets(),
    alsoViewed: {},
  };
}

/**
 * The count shown on an aircraft page for "visitors this week", as a bucket: pages show
 * "100+" rather than 117, so one more visitor rarely changes what a page shows, and the
 * consumer rebuilds only when a bucket changes. The site and the rebuild trigger share this.
 */
export function visitorBucket(visitors: number): number {
  const floors = [0, 1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000];
  let bucket = 0;
  for (const floor of floors) if (visitors >= floor) bucket = floor;
  return bucket;
}

/** How many entries of each list the site shows; the rebuild trigger watches exactly these. */
export const SHOWN_LIMITS = { popular: 12, trending: 8, searches: 10, facets: 6, alsoViewed: 4 } as const;

/** The routes whose content follows popularity, besides one page per ranked aircraft. */
export const POPULARITY_ROUTES = { home: '/', popular: '/popular/' } as const;

/** The aircraft page route of a slug, as the site builds it. */
export const aircraftRoute = (slug: string): string => `/aircraft/${slug}/`;

/**
 * What each page shows from a popularity snapshot, per route, as stable strings: a route whose
 * string is the same in two snapshots renders the same page from both. An aircraft page that is
 * not listed shows the neutral "not ranked yet". `isKnown` drops slugs the catalogue does not
 * have, as the site does before it cuts the lists to their shown length. The consumer compares
 * these to decide whether to rebuild; the site's rebuild compares them per route with the ones
 * recorded in the live build to re-render only the routes that changed.
 */
export function shownSignatures(popularity: ShownInput, isKnown: (slug: string) => boolean = () => true): Record<string, string> {
  const routes: Record<string, string> = {};
  const shown = (slug: string) => {
    const stats = popularity.aircraft[slug];
    return stats ? `${stats.rank ?? '-'}:${visitorBucket(stats.visitors.d7)}` : '-:0';
  };
  for (const [slug, stats] of Object.entries(popularity.aircraft)) {
    const value = shown(slug);
    if (isKnown(slug) && (stats.rank !== null || value !== '-:0')) routes[aircraftRoute(slug)] = value;
  }
  // An aircraft page also shows its "Visitors also viewed" list (a page without one shows the curated related list).
  for (const [slug, others] of Object.entries(popularity.alsoViewed ?? {})) {
    const shownOthers = alsoViewedShown(others, isKnown);
    if (!isKnown(slug) || shownOthers.length === 0) continue;
    routes[aircraftRoute(slug)] = `${routes[aircraftRoute(slug)] ?? shown(slug)}|${shownOthers.join(',')}`;
  }
  // The home and popular pages show each listed aircraft's rank and weekly bucket on its card.
  const popular = popularity.popular.filter(isKnown).slice(0, SHOWN_LIMITS.popular).map((slug) => `${slug}=${shown(slug)}`);
  const trending = popularity.trending.filter(isKnown).slice(0, SHOWN_LIMITS.trending);
  const facets = popularity.facets ?? emptyFacets();
  routes[POPULARITY_ROUTES.home] = JSON.stringify({
    popular,
    trending,
    // The home page names the popular manufacturers, roles and eras, in order (not their counts).
    facets: Object.values(facetsShown(facets)).map((list) => list.map((f) => f.id)),
  });
  routes[POPULARITY_ROUTES.popular] = JSON.stringify({
    popular,
    trending,
    searches: popularity.searches.top.slice(0, SHOWN_LIMITS.searches).map((q) => q.query),
    kAnonymity: popularity.searches.kAnonymity,
  });
  return routes;
}

/** What `shownSignatures` reads from a snapshot. */
export type ShownInput = Pick<Popularity, 'aircraft' | 'popular' | 'trending' | 'searches' | 'facets' | 'alsoViewed'>;

/** The co-viewed aircraft a page shows: the first `SHOWN_LIMITS.alsoViewed` the catalogue knows. */
export const alsoViewedShown = (others: readonly string[], isKnown: (slug: string) => boolean = () => true): string[] =>
  others.filter(isKnown).slice(0, SHOWN_LIMITS.alsoViewed);

/** The popular facets the home page shows: the first `SHOWN_LIMITS.facets` of each. */
export const facetsShown = (facets: FacetPopularity): FacetPopularity => ({
  manufacturers: facets.manufacturers.slice(0, SHOWN_LIMITS.facets),
  roles: facets.roles.slice(0, SHOWN_LIMITS.facets),
  eras: facets.eras.slice(0, SHOWN_LIMITS.facets),
});

/** The routes whose signature differs between two per-route maps (a route missing from one counts). */
export function changedRoutes(before: Record<string, string>, after: Record<string, string>): string[] {
  const routes = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...routes].filter((route) => before[route] !== after[route]).sort();
}

/**
 * Everything the built pages show from a popularity snapshot, as one stable string: when two
 * snapshots have the same signature, a rebuild would produce the same pages.
 */
export function shownSignature(popularity: ShownInput): string {
  return JSON.stringify(Object.entries(shownSignatures(popularity)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
