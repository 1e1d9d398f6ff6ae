import type { APIRoute } from 'astro';
import { GET as sheet } from '../../aircraft/[slug].json.ts';
import { allAircraft, manufacturers } from '../../../lib/catalog.ts';
import { aircraftSheetPaths } from '../../../lib/page-paths.ts';

/** On-demand twin of /aircraft/[slug].json for data-change rebuilds (see lib/render-route.ts). */
export const prerender = false;
export const GET: APIRoute = async (context) => {
  const path = aircraftSheetPaths(await allAircraft(), await manufacturers()).find((p) => p.params.slug === context.params.slug);
  if (!path) return new Response(`no aircraft ${context.params.slug ?? ''} in this catalogue`, { status: 404 });
  return sheet({ ...context, props: path.props });
};
