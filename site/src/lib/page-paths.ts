/**
 * The paths (params, props and the incremental build's cacheKey) of every page generated from
 * the catalogue, one function per dynamic route. The prerendered pages' getStaticPaths and their
 * on-demand twins under pages/hangar-render/ both call these, so a twin renders the same page;
 * `routeKeys` gives each route's cacheKey for a data-change rebuild to diff (site/scripts/data-rebuild.ts).
 */
import type { Popularity } from '@hangarstack/shared';
import { aircraftPageProps } from './aircraft-page.ts';
import { byMaker, digest, eraOf, groupBy, toSlug, type AircraftEntry, type ManufacturerEntry, type TypeEntry } from './catalog.ts';
import { sameAsLast } from './same-as-last.ts';

/** What a list card shows of an aircraft: a list page's cache key covers these fields. */
const listKey = (items: readonly AircraftEntry[]) => items.map((a) => [a.id, a.data.name, a.data.country, a.data.firstFlight, a.data.roles]);

// Asked for twice per build, in getStaticPaths and in routeKeys, and by a render worker once per page
// it renders: at 10k aircraft each is 10k props and cache-key digests (JSON, SHA-256) on the render thread.
export const aircraftPaths = sameAsLast((list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>, popularity: Popularity) =>
  list.map((aircraft) => {
    const { props, cacheKey } = aircraftPageProps(list, makers, popularity, aircraft);
    return { params: { slug: aircraft.id }, props, cacheKey };
  }),
);

export const aircraftSheetPaths = sameAsLast((list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>) =>
  list.map((aircraft) => {
    const makerName = makers.get(aircraft.data.manufacturer)?.data.name ?? aircraft.data.manufacturer;
    return { params: { slug: aircraft.id }, props: { aircraft, makerName }, cacheKey: digest([aircraft.data, makerName]) };
  }),
);

// The list pages' paths are also asked for once per page their twins render (a full build renders
// every page through them: lib/twin-prerenderer.ts), so each is computed once per catalogue.
export const countryPaths = sameAsLast((list: readonly AircraftEntry[]) =>
  [...groupBy(list, (a) => [a.data.country])].map(([country, items]) => ({ params: { country: toSlug(country) }, props: { country, items }, cacheKey: digest(listKey(items)) })),
);

export const eraPaths = sameAsLast((list: readonly AircraftEntry[]) =>
  [...groupBy(list, (a) => [eraOf(a.data)])].map(([era, items]) => ({ params: { era }, props: { era, items }, cacheKey: digest(listKey(items)) })),
);

export const rolePaths = sameAsLast((list: readonly AircraftEntry[]) =>
  [...groupBy(list, (a) => a.data.roles)].map(([role, items]) => ({ params: { role }, props: { role, items }, cacheKey: digest(listKey(items)) })),
);

export const manufacturerPaths = sameAsLast((list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>) => {
  const countries = new Set(list.map((a) => a.data.country));
  return [...makers.values()].map((maker) => {
    const items = byMaker(list, maker.id);
    // Country pages exist only for countries some aircraft comes from; link only to those.
    const countryPage = countries.has(maker.data.country);
    return { params: { slug: maker.id }, props: { maker, items, countryPage }, cacheKey: digest([maker.data, countryPage, listKey(items)]) };
  });
});

export const typePaths = sameAsLast((list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>, types: readonly TypeEntry[]) => {
  const byDesignator = groupBy(list, (a) => (a.data.icao ? [a.data.icao] : []));
  return types.map((type) => {
    const records = byDesignator.get(type.data.designator) ?? [];
    const maker = type.data.manufacturerSlug ? makers.get(type.data.manufacturerSlug) : undefined;
    const makerName = maker?.data.name;
    return { params: { designator: type.data.designator }, props: { type, records, makerName }, cacheKey: digest([type.data, makerName, listKey(records)]) };
  });
});

const byParamIndex = new WeakMap<readonly unknown[], Map<string, unknown>>();

/** The path of `paths` (one route's, as computed above) whose param `name` is `value`, from an index built once per result. */
export function pathWith<P extends { params: Record<string, string> }>(paths: readonly P[], name: string, value: string | undefined): P | undefined {
  let index = byParamIndex.get(paths) as Map<string, P> | undefined;
  if (!index) {
    index = new Map(paths.map((p) => [p.params[name] ?? '', p]));
    byParamIndex.set(paths, index);
  }
  return value === undefined ? undefined : index.get(value);
}

/** Every catalogue route with its cacheKey (what its page shows), in build order per route. */
export function routeKeys(list: readonly AircraftEntry[], makers: Map<string, ManufacturerEntry>, types: readonly TypeEntry[], popularity: Popularity): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const p of aircraftPaths(list, makers, popularity)) keys[`/aircraft/${p.params.slug}/`] = p.cacheKey;
  for (const p of aircraftSheetPaths(list, makers)) keys[`/aircraft/${p.params.slug}.json`] = p.cacheKey;
  for (const p of countryPaths(list)) keys[`/country/${p.params.country}/`] = p.cacheKey;
  for (const p of eraPaths(list)) keys[`/era/${p.params.era}/`] = p.cacheKey;
  for (const p of rolePaths(list)) keys[`/role/${p.params.role}/`] = p.cacheKey;
  for (const p of manufacturerPaths(list, makers)) keys[`/manufacturer/${p.params.slug}/`] = p.cacheKey;
  for (const p of typePaths(list, makers, types)) keys[`/type/${p.params.designator}/`] = p.cacheKey;
  return keys;
}

