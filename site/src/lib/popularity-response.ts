import { buildPopularity } from './popularity.ts';

/** The snapshot a build used, as /popularity.json (scripts/serve.ts serves the newer live file in its place). */
export const popularityResponse = (): Response =>
  new Response(JSON.stringify(buildPopularity().popularity), { headers: { 'Content-Type': 'application/json' } });
