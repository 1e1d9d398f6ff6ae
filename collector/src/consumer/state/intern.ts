/** How many distinct strings are shared at most (the catalogue has about a thousand slugs). */
const LIMIT = 50_000;
const table = new Map<string, string>();

/**
 * One shared copy of a string that is kept as a key in many buckets (an aircraft slug appears in
 * every hour it was viewed): each parsed record brings its own copy, and 300,000 hour buckets
 * kept 20 MB of identical slugs. Past `LIMIT` distinct strings (not a catalogue any more) a
 * string is returned as it is.
 */
export function intern(text: string): string {
  const shared = table.get(text);
  if (shared !== undefined) return shared;
  if (table.size < LIMIT) table.set(text, text);
  return text;
}
