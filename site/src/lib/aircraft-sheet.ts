import { RANGE_LABELS, type AircraftEntry } from './catalog.ts';
import { takePlanform, type PlanformJson } from './planform.ts';
import * as u from './units.ts';
import type { Figure } from './units.ts';

/** What /aircraft/<slug>.json carries for the compare page: it fetches only the (up to four) aircraft it shows. */
export interface AircraftSheet {
  slug: string;
  name: string;
  /** Spec rows by label, in both unit systems where they have units. */
  rows: Record<string, string | Figure | undefined>;
  /** The top view in metres on a common origin (lib/planform.ts), so compare overlays them at true scale. */
  planform: PlanformJson;
}

/**
 * One aircraft's sheet, as the JSON a `/aircraft/<slug>.json` file holds. The one definition for
 * the full build (pages/hangar-aircraft-sheets.txt.ts, every sheet in one response) and the
 * on-demand twin a data-change rebuild renders one sheet with (pages/hangar-render/aircraft/[slug].json.ts),
 * so both write the same bytes. Its props are lib/page-paths.ts's `aircraftSheetPaths`.
 */
export function aircraftSheetJson({ aircraft, makerName }: { aircraft: AircraftEntry; makerName: string }): string {
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
  // The drawing the page made of this record, if it was rendered first (a full build renders the pages first).
  const { body, engines, rotor, spanM, lengthM, scale, viewBox } = takePlanform(a);
  const sheet: AircraftSheet = { slug: a.slug, name: a.name, rows, planform: { body, engines, rotor, spanM, lengthM, scale, viewBox } };
  return JSON.stringify(sheet);
}
