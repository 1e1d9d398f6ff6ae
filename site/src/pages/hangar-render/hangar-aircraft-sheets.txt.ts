import type { APIRoute } from 'astro';
import { GET as sheets } from '../hangar-aircraft-sheets.txt.ts';

/** On-demand twin of the aircraft sheets' batch: a full build renders every page through its twin (see lib/twin-prerenderer.ts). */
export const prerender = false;
export const GET: APIRoute = (context) => sheets(context);
