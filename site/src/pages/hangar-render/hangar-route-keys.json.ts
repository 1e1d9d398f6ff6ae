import type { APIRoute } from 'astro';
import { routeKeysResponse } from '../../lib/route-keys-response.ts';

/** On-demand twin of /hangar-route-keys.json: the keys of the catalogue as the render sees it (see lib/render-route.ts). */
export const prerender = false;
export const GET: APIRoute = () => routeKeysResponse();
