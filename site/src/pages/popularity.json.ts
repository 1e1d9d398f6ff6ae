import type { APIRoute } from 'astro';
import { popularityResponse } from '../lib/popularity-response.ts';

export const GET: APIRoute = () => popularityResponse();
