/**
 * Designator → page for search: the full record carrying an ICAO designator when we have one,
 * else its short entry. Pagefind ranks by words, and a designator such as "DC3" is also the
 * prefix of "DC3S" and "DC3T", so the search page pins an exact designator hit from this map.
 */
export interface DesignatorHit {
  url: string;
  title: string;
}

export type DesignatorIndex = Record<string, DesignatorHit>;

export function designatorIndex(
  types: readonly { designator: string; title: string }[],
  records: readonly { slug: string; name: string; icao?: string | undefined }[],
): DesignatorIndex {
  const index: DesignatorIndex = {};
  for (const t of types) index[t.designator] = { url: `/type/${t.designator}/`, title: `${t.designator} — ${t.title}` };
  // Records sorted by name, so a designator shared by several (777-200 and -200ER) points at one stably.
  for (const r of [...records].sort((a, b) => a.name.localeCompare(b.name))) {
    if (r.icao && index[r.icao]?.url.startsWith('/type/')) index[r.icao] = { url: `/aircraft/${r.slug}/`, title: `${r.name} (${r.icao})` };
  }
  return index;
}

/**
 * The designator a query names, if it looks like one: 2–4 letters or digits, with a digit or
 * typed in capitals ("b738", "A20N", "ZZZZ"), so an ordinary word such as "puma" stays a word search.
 */
export function designatorQuery(query: string): string | undefined {
  const q = query.trim();
  if (!/^[A-Za-z0-9]{2,4}$/.test(q)) return undefined;
  return /\d/.test(q) || q === q.toUpperCase() ? q.toUpperCase() : undefined;
}
