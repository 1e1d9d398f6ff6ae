import { createHash } from 'node:crypto';
import { eraOf as eraOfFirstFlight, type Role } from '@hangarstack/shared';
import { readCollectionFiles, type CollectionEntry, type CollectionName } from './catalogue-files.ts';
import { siteConfig } from './config.ts';

export type AircraftEntry = CollectionEntry<'aircraft'>;
export type ManufacturerEntry = CollectionEntry<'manufacturers'>;
export type TypeEntry = CollectionEntry<'types'>;

const slugs = new Map<string, string>();

/**
 * URL-safe form of a free-text value such as a country name. Kept per value: the values are the
 * catalogue's few countries and makers, asked for ~3 times per aircraft page (NFKD normalisation
 * is ICU work, ~10 µs a call).
 */
export function toSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    slugs.set(text, slug);
  }
  return slug;
}

/** The decade an aircraft first flew in, e.g. "1970s"; "unknown" without a date. */
export const eraOf = (a: AircraftEntry['data']): string => eraOfFirstFlight(a.firstFlight);

export const ROLE_LABELS: Record<Role, string> = {
  airliner: 'Airliners',
  regional: 'Regional aircraft',
  'business-jet': 'Business jets',
  'general-aviation': 'General aviation',
  fighter: 'Fighters',
  attack: 'Attack aircraft',
  bomber: 'Bombers',
  transport: 'Transports',
  tanker: 'Tankers',
  reconnaissance: 'Reconnaissance',
  patrol: 'Maritime patrol',
  trainer: 'Trainers',
  helicopter: 'Helicopters',
  utility: 'Utility aircraft',
  aerobatic: 'Aerobatic aircraft',
  experimental: 'Experimental aircraft',
  airship: 'Airships',
};

/** Which distance a range figure is (rangeKind in shared/src/aircraft.ts): a ferry range and a combat radius are not a range. */
export const RANGE_LABELS = { range: 'Range', ferry: 'Ferry range', 'combat-radius': 'Combat radius' } as const;

let aircraftCache: AircraftEntry[] | undefined;
let makersCache: Map<string, ManufacturerEntry> | undefined;
let typesCache: TypeEntry[] | undefined;

/** A collection as the data dir holds it now, validated by the shared schemas (catalogue-files.ts). */
async function entries<N extends CollectionName>(name: N): Promise<CollectionEntry<N>[]> {
  return Promise.resolve(readCollectionFiles(siteConfig().dataDir, name));
}

/** All aircraft, sorted by name; read once per build. */
export async function allAircraft(): Promise<AircraftEntry[]> {
  aircraftCache ??= (await entries('aircraft')).sort((a, b) => a.data.name.localeCompare(b.data.name));
  return aircraftCache;
}

/** Manufacturers by slug; read once per build. */
export async function manufacturers(): Promise<Map<string, ManufacturerEntry>> {
  makersCache ??= new Map((await entries('manufacturers')).map((m) => [m.id, m]));
  return makersCache;
}

export { byMaker, catalogIndex, groupBy, pick, relatedTo } from './catalog-index.ts';

/** ICAO type designators (short entries), sorted by designator; read once per build (each type page's paths are looked up in them). */
export async function typeDesignators(): Promise<TypeEntry[]> {
  typesCache ??= (await entries('types')).sort((a, b) => (a.data.designator < b.data.designator ? -1 : 1));
  return typesCache;
}

/**
 * A stable digest of what a page renders, returned as `cacheKey` from getStaticPaths: when it
 * is unchanged, Astro's incremental build restores the previous output instead of rendering.
 */
export const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url');
