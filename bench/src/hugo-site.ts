/**
 * Turns the aircraft JSON (real or synthetic) into a Hugo site built from bench/hugo/: one content
 * page per aircraft with its fields as front matter and the taxonomies the Astro site has pages for.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEMPLATE = join(import.meta.dirname, '..', '..', 'bench', 'hugo');

/** The fields the Hugo template reads; the rest of a record is carried along as it is. */
interface AircraftJson {
  slug: string;
  name: string;
  manufacturer: string;
  country: string;
  roles: string[];
  firstFlight?: string;
  history: string;
  [field: string]: unknown;
}

/** The era bucket of a first-flight date, as a taxonomy term. */
export function eraTerm(firstFlight: string | undefined): string {
  const year = Number(firstFlight?.slice(0, 4));
  if (!Number.isFinite(year) || year === 0) return 'unknown';
  if (year < 1919) return 'pioneers';
  if (year < 1946) return 'interwar-and-ww2';
  if (year < 1970) return 'jet-age';
  if (year < 2000) return 'cold-war-and-after';
  return 'modern';
}

/** One Hugo content file: JSON front matter (Hugo reads a leading JSON object), history as the body. */
export function hugoPage(aircraft: AircraftJson, makerName: string | undefined): string {
  const { slug, name, history, ...fields } = aircraft;
  const front = {
    ...fields,
    title: name,
    slug,
    url: `/aircraft/${slug}/`,
    date: aircraft.firstFlight && /^\d{4}-\d{2}-\d{2}$/.test(aircraft.firstFlight) ? aircraft.firstFlight : undefined,
    manufacturer: [makerName ?? aircraft.manufacturer],
    country: [aircraft.country],
    role: aircraft.roles,
    era: [eraTerm(aircraft.firstFlight)],
  };
  return `${JSON.stringify(front, null, 1)}\n\n${history}\n`;
}

/** Writes a complete Hugo site for the aircraft in `dataDir` to `outDir`; returns the page count written. */
export function writeHugoSite(dataDir: string, outDir: string): number {
  cpSync(TEMPLATE, outDir, { recursive: true });
  const makers = new Map<string, string>();
  for (const file of readdirSync(join(dataDir, 'manufacturers'))) {
    const m = JSON.parse(readFileSync(join(dataDir, 'manufacturers', file), 'utf8')) as { slug: string; name: string };
    makers.set(m.slug, m.name);
  }
  const content = join(outDir, 'content', 'aircraft');
  mkdirSync(content, { recursive: true });
  let count = 0;
  for (const file of readdirSync(join(dataDir, 'aircraft'))) {
    const a = JSON.parse(readFileSync(join(dataDir, 'aircraft', file), 'utf8')) as AircraftJson;
    writeFileSync(join(content, `${a.slug}.md`), hugoPage(a, makers.get(a.manufacturer)));
    count++;
  }
  writeFileSync(join(content, '_index.md'), '{"title":"All aircraft"}\n');
  return count;
}
