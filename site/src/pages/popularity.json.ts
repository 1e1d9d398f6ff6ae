import type { APIRoute } from 'astro';
import { buildPopularity } from '../lib/popularity.ts';

/** The snapshot this build used; scripts/serve.ts serves the newer live file in its place. */
export const GET: APIRoute = () => new Response(JSON.stringify(buildPopularity().popularity), { headers: { 'Content-Type': 'application/json' } });
