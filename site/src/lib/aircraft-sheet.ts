import type { PlanformJson } from './planform.ts';
import type { Figure } from './units.ts';

/** What /aircraft/<slug>.json carries for the compare page (pages/aircraft/[slug].json.ts writes it). */
export interface AircraftSheet {
  slug: string;
  name: string;
  /** Spec rows by label, in both unit systems where they have units. */
  rows: Record<string, string | Figure | undefined>;
  /** The top view in metres on a common origin (lib/planform.ts), so compare overlays them at true scale. */
  planform: PlanformJson;
}
