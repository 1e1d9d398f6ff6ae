import type { APIRoute, GetStaticPaths } from 'astro';
import { allAircraft, digest, type AircraftEntry } from '../../lib/catalog.ts';
import * as u from '../../lib/units.ts';

export const getStaticPaths = (async () =>
  (await allAircraft()).map((aircraft) => ({ params: { slug: aircraft.id }, props: { aircraft }, cacheKey: digest(aircraft.data) }))) satisfies GetStaticPaths;

/**
 * One aircraft's spec rows as JSON, for the compare page: it fetches only the (up to four)
 * aircraft it shows, so it stays small however large the catalogue grows.
 */
export const GET: APIRoute = ({ props }) => {
  const a = (props as { aircraft: AircraftEntry }).aircraft.data;
  const rows: Record<string, string | u.Figure | undefined> = {
    Manufacturer: a.manufacturer,
    Country: a.country,
    'First flight': a.firstFlight,
    Roles: a.roles.join(', '),
    Status: a.status,
    'Number built': a.numberBuilt?.toLocaleString('en-GB'),
    Crew: a.crew?.toString(),
    Passengers: a.passengers?.toString(),
    Length: a.lengthM === undefined ? undefined : u.length(a.lengthM),
    Wingspan: a.wingspanM === undefined ? undefined : u.length(a.wingspanM),
    'Max take-off weight': a.mtowKg === undefined ? undefined : u.mass(a.mtowKg),
    Engines: a.engines && `${a.engines.count} × ${a.engines.model ?? a.engines.type}`,
    'Max speed': a.maxSpeedKmh === undefined ? undefined : u.speed(a.maxSpeedKmh),
    Range: a.rangeKm === undefined ? undefined : u.distance(a.rangeKm),
    'Service ceiling': a.serviceCeilingM === undefined ? undefined : u.altitude(a.serviceCeilingM),
  };
  return new Response(JSON.stringify({ slug: a.slug, name: a.name, rows }), { headers: { 'Content-Type': 'application/json' } });
};
