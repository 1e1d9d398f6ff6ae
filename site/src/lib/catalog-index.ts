/**
 * Lookups over the catalogue (no Astro imports, so unit tests can load it): by slug, maker and
 * role, built once per list.
 */

/** What the lookups read of an aircraft entry (an Astro collection entry fits). */
export interface Entry {
  id: string;
  data: { manufacturer: string; roles: readonly string[]; related: readonly string[] };
}

/** Groups aircraft by a key (one aircraft may land in several groups), sorted by group label. */
export function groupBy<T>(list: readonly T[], keys: (a: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const a of list) {
    for (const key of keys(a)) {
      const group = groups.get(key);
      if (group) group.push(a);
      else groups.set(key, [a]);
    }
  }
  return new Map([...groups].sort(([x], [y]) => x.localeCompare(y)));
}

/** Lookup maps over one list, in list order. */
interface CatalogIndex<T extends Entry> {
  bySlug: Map<string, T>;
  byMaker: Map<string, T[]>;
  byRole: Map<string, T[]>;
}

// Built once per list and reused by every page of the build: per-call maps and full-list scans
// made the aircraft pages O(n²) in the catalogue size.
const indexes = new WeakMap<readonly Entry[], CatalogIndex<Entry>>();

/** The lookup maps of `list`, built on first use. */
export function catalogIndex<T extends Entry>(list: readonly T[]): CatalogIndex<T> {
  let index = indexes.get(list) as CatalogIndex<T> | undefined;
  if (!index) {
    index = {
      bySlug: new Map(list.map((a) => [a.id, a])),
      byMaker: groupBy(list, (a) => [a.data.manufacturer]),
      byRole: groupBy(list, (a) => a.data.roles),
    };
    indexes.set(list, index as CatalogIndex<Entry>);
  }
  return index;
}

/** Looks up aircraft by slug, dropping slugs that are not in the catalogue (stale popularity). */
export function pick<T extends Entry>(list: readonly T[], slugs: readonly string[]): T[] {
  const { bySlug } = catalogIndex(list);
  return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
}

/** Aircraft of one manufacturer, in list order. */
export const byMaker = <T extends Entry>(list: readonly T[], maker: string): T[] => catalogIndex(list).byMaker.get(maker) ?? [];

const RELATED_MAX = 4;

/**
 * The record's own related list, or else up to four others of the same maker first, then of
 * its first role (each in list order).
 */
export function relatedTo<T extends Entry>(list: readonly T[], aircraft: T): T[] {
  const named = pick(list, aircraft.data.related);
  if (named.length > 0) return named;
  const { byMaker: makers, byRole: roles } = catalogIndex(list);
  const maker = aircraft.data.manufacturer;
  const related: T[] = [];
  for (const o of makers.get(maker) ?? []) {
    if (related.length === RELATED_MAX) return related;
    if (o.id !== aircraft.id) related.push(o);
  }
  const role = aircraft.data.roles[0];
  for (const o of (role && roles.get(role)) || []) {
    if (related.length === RELATED_MAX) break;
    if (o.id !== aircraft.id && o.data.manufacturer !== maker) related.push(o);
  }
  return related;
}
