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
  const titles = new Map(types.map((t) => [t.designator, t.title]));
  for (const t of types) index[t.designator] = { url: `/type/${t.designator}/`, title: `${t.designator} — ${t.title}` };
  // Several records may share a designator (DC3: the DC-3 and the C-47): the one whose name shares
  // most words with ICAO's model name wins ("Douglas DC-3" for "DC-3"), then the first by name.
  const best = new Map<string, { slug: string; name: string; score: number }>();
  for (const r of [...records].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!r.icao || !titles.has(r.icao)) continue;
    const score = overlap(r.name, titles.get(r.icao) ?? '');
    const current = best.get(r.icao);
    if (!current || score > current.score) best.set(r.icao, { slug: r.slug, name: r.name, score });
  }
  for (const [designator, r] of best) index[designator] = { url: `/aircraft/${r.slug}/`, title: `${r.name} (${designator})` };
  return index;
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
const overlap = (a: string, b: string): number => {
  const other = words(b);
  return [...words(a)].filter((w) => other.has(w)).length;
};

/**
 * The designator a query names, if it looks like one: 2–4 letters or digits, with a digit or
 * typed in capitals ("b738", "A20N", "ZZZZ"), so an ordinary word such as "puma" stays a word search.
 */
export function designatorQuery(query: string): string | undefined {
  const q = query.trim();
  if (!/^[A-Za-z0-9]{2,4}$/.test(q)) return undefined;
  return /\d/.test(q) || q === q.toUpperCase() ? q.toUpperCase() : undefined;
}
