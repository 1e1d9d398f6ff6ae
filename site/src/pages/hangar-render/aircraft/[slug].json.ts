import type { APIRoute } from 'astro';
import { aircraftSheetJson } from '../../../lib/aircraft-sheet.ts';
import { allAircraft, manufacturers } from '../../../lib/catalog.ts';
import { aircraftSheetPaths, pathWith } from '../../../lib/page-paths.ts';

/**
 * On-demand twin of /aircraft/[slug].json for data-change rebuilds (see lib/render-route.ts); a
 * full build writes every sheet through pages/hangar-aircraft-sheets.txt.ts, with the same function.
 */
export const prerender = false;
export const GET: APIRoute = async (context) => {
  const path = pathWith(aircraftSheetPaths(await allAircraft(), await manufacturers()), 'slug', context.params.slug);
  if (!path) return new Response(`no aircraft ${context.params.slug ?? ''} in this catalogue`, { status: 404 });
  return new Response(aircraftSheetJson(path.props), { headers: { 'Content-Type': 'application/json' } });
};
