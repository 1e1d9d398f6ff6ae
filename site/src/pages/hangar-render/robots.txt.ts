import type { APIRoute } from 'astro';
import { GET as robots } from '../robots.txt.ts';

/** On-demand twin of /robots.txt: a full build renders every page through its twin (see lib/twin-prerenderer.ts). */
export const prerender = false;
export const GET: APIRoute = (context) => robots(context);
