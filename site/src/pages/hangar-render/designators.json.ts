import type { APIRoute } from 'astro';
import { GET as designators } from '../designators.json.ts';

/** On-demand twin of /designators.json for data-change rebuilds (see lib/render-route.ts). */
export const prerender = false;
export const GET: APIRoute = (context) => designators(context);
