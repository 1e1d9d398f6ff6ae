import type { APIRoute, GetStaticPaths } from 'astro';
import { allAircraft, manufacturers, RANGE_LABELS, type AircraftEntry } from '../../lib/catalog.ts';
import { aircraftSheetPaths } from '../../lib/page-paths.ts';
import type { AircraftSheet } from '../../lib/aircraft-sheet.ts';
import { planform } from '../../lib/planform.ts';
import * as u from '../../lib/units.ts';

export const getStaticPaths = (async () => aircraftSheetPaths(await allAircraft(), await manufacturers())) satisfies GetStaticPaths;

/**
 * One aircraft's spec rows and planform as JSON, for the compare page: it fetches only the (up
 * to four) aircraft it shows, so it stays small however large the catalogue grows.
 */
export const GET: APIRoute = ({ props }) => {
  const { aircraft, makerName } = props as { aircraft: AircraftEntry; makerName: string };
  const a = aircraft.data;
  const rows: AircraftSheet['rows'] = {
    Manufacturer: makerName,
    Country: a.country,
    'First flight': a.firstFlight,
    Roles: a.roles.join(', '),
    Status: a.status,
    'Number built': a.numberBuilt === undefined ? undefined : u.formatNumber(a.numberBuilt),
    Crew: a.crew?.toString(),
    Passengers: a.passengers?.toString(),
    Length: a.lengthM === undefined ? undefined : u.length(a.lengthM),
    Wingspan: a.wingspanM === undefined ? undefined : u.length(a.wingspanM),
    'Rotor diameter': a.rotorDiameterM === undefined ? undefined : u.length(a.rotorDiameterM),
    'Max take-off weight': a.mtowKg === undefined ? undefined : u.mass(a.mtowKg),
    Engines: a.engines && `${a.engines.count} × ${a.engines.model ?? a.engines.type}`,
    'Max speed': a.maxSpeedKmh === undefined ? undefined : u.speed(a.maxSpeedKmh),
    // Labelled by kind, so compare never sets a ferry range against a range in one row.
    [RANGE_LABELS[a.rangeKind ?? 'range']]: a.rangeKm === undefined ? undefined : u.distance(a.rangeKm),
    'Service ceiling': a.serviceCeilingM === undefined ? undefined : u.altitude(a.serviceCeilingM),
  };
  const { body, engines, rotor, spanM, lengthM, scale, viewBox } = planform(a);
  const sheet: AircraftSheet = { slug: a.slug, name: a.name, rows, planform: { body, engines, rotor, spanM, lengthM, scale, viewBox } };
  return new Response(JSON.stringify(sheet), { headers: { 'Content-Type': 'application/json' } });
};
