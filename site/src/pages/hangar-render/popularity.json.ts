import type { APIRoute } from 'astro';
import { popularityResponse } from '../../lib/popularity-response.ts';

/** On-demand twin of /popularity.json for popularity-only rebuilds (see lib/render-route.ts). */
export const prerender = false;
export const GET: APIRoute = () => popularityResponse();
