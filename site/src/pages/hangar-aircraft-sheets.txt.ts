import type { APIRoute } from 'astro';
import { aircraftSheetJson } from '../lib/aircraft-sheet.ts';
import { allAircraft, manufacturers } from '../lib/catalog.ts';
import { aircraftSheetPaths } from '../lib/page-paths.ts';
import { sheetBatch } from '../lib/sheet-batch.ts';

/**
 * Every aircraft's `/aircraft/<slug>.json` sheet (the compare page fetches the ones it shows), in
 * one streamed response that the build's prerenderer (lib/pagefind-integration.ts) writes out as
 * those files: lib/sheet-batch.ts says why. A data-change rebuild renders single sheets through
 * the twin pages/hangar-render/aircraft/[slug].json.ts, with the same `aircraftSheetJson`.
 */
export const GET: APIRoute = async () => {
  const paths = aircraftSheetPaths(await allAircraft(), await manufacturers());
  return new Response(
    sheetBatch(paths, (p) => [p.params.slug, aircraftSheetJson(p.props)]),
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
  );
};
