import type { APIRoute } from 'astro';
import { routeKeysResponse } from '../lib/route-keys-response.ts';

/**
 * Every catalogue route's cacheKey, written by the build for build-and-swap, which moves it into
 * the build record (never deployed): a later data-change rebuild diffs it against the keys of the
 * new data (the twin under hangar-render/) to find the routes to re-render.
 */
export const GET: APIRoute = () => routeKeysResponse();
