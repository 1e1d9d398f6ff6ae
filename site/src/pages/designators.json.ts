import type { APIRoute } from 'astro';
import { allAircraft, typeDesignators } from '../lib/catalog.ts';
import { designatorIndex } from '../lib/designator-index.ts';
import { typeTitle } from '../lib/type-entry.ts';

/** Every ICAO designator → its page, loaded by the search page only for designator-like queries. */
export const GET: APIRoute = async () => {
  const types = (await typeDesignators()).map((t) => ({ designator: t.data.designator, title: typeTitle(t.data) }));
  const records = (await allAircraft()).map((a) => ({ slug: a.id, name: a.data.name, icao: a.data.icao }));
  return new Response(JSON.stringify(designatorIndex(types, records)), { headers: { 'Content-Type': 'application/json' } });
};
