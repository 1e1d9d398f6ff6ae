import { allAircraft, manufacturers, typeDesignators } from './catalog.ts';
import { routeKeys } from './page-paths.ts';
import { ROUTE_KEYS_ROUTE } from './route-kinds.ts';

export { ROUTE_KEYS_ROUTE };
import { buildPopularity } from './popularity.ts';

export const routeKeysResponse = async (): Promise<Response> =>
  new Response(JSON.stringify(routeKeys(await allAircraft(), await manufacturers(), await typeDesignators(), buildPopularity().popularity)), { headers: { 'Content-Type': 'application/json' } });
