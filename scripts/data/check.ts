/**
 * The data check: `node scripts/data/check.ts [--dir data]`. Run by the test command.
 * Reports every problem (not just the first) as `file: field: message`, exit 1 if any.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { commandLine } from '@hangarstack/shared/command-line';
import { FIGURE_FIELDS, aircraftSchema, manufacturerSchema, typeDesignatorSchema, type Aircraft, type Manufacturer, type TypeDesignator } from '@hangarstack/shared';

export interface Problem {
  file: string;
  field: string;
  message: string;
}

export interface CheckResult {
  aircraft: Aircraft[];
  manufacturers: Manufacturer[];
  /** Compact ICAO type entries (`types/*.json`); empty when the data dir has no `types/`. */
  types: TypeDesignator[];
  problems: Problem[];
}

/** Checks a data dir (`aircraft/*.json`, `manufacturers/*.json`, optional `types/*.json`): schema, names, references, sources, plausibility. */
export function checkData(dir: string): CheckResult {
  const problems: Problem[] = [];
  const report = (file: string, field: string, message: string): void => void problems.push({ file: relative(process.cwd(), file), field, message });

  const load = <T>(sub: string, key: 'slug' | 'designator', schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }) => {
    const out: { file: string; data: T }[] = [];
    let files: string[] = [];
    try {
      files = readdirSync(join(dir, sub)).filter((f) => f.endsWith('.json')).sort();
    } catch {
      if (key === 'slug') report(join(dir, sub), '(dir)', 'missing: the data dir needs this folder');
    }
    for (const name of files) {
      const file = join(dir, sub, name);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        report(file, '(file)', `not valid JSON: ${(error as Error).message}`);
        continue;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) report(file, issue.path.join('.') || '(record)', issue.message);
        continue;
      }
      const id = (parsed.data as Record<typeof key, string>)[key];
      if (`${id}.json` !== name) report(file, key, `is "${id}" but the file is ${name}: they must match`);
      out.push({ file, data: parsed.data });
    }
    return out;
  };

  const aircraft = load<Aircraft>('aircraft', 'slug', aircraftSchema);
  const manufacturers = load<Manufacturer>('manufacturers', 'slug', manufacturerSchema);
  const types = load<TypeDesignator>('types', 'designator', typeDesignatorSchema);
  const designators = new Set(types.map((t) => t.data.designator));
  const aircraftSlugs = new Set(aircraft.map((a) => a.data.slug));
  const makerSlugs = new Set(manufacturers.map((m) => m.data.slug));
  const names = new Map<string, string>();

  for (const { file, data: a } of aircraft) {
    if (!makerSlugs.has(a.manufacturer)) report(file, 'manufacturer', `"${a.manufacturer}" has no file in manufacturers/`);
    if (a.icao && types.length > 0 && !designators.has(a.icao)) report(file, 'icao', `"${a.icao}" is not an ICAO Doc 8643 designator (no file in types/)`);
    a.related.forEach((slug, i) => {
      if (!aircraftSlugs.has(slug)) report(file, `related.${i}`, `"${slug}" has no file in aircraft/`);
    });
    const lower = a.name.toLowerCase();
    const other = names.get(lower);
    if (other) report(file, 'name', `"${a.name}" is also the name of ${other}`);
    names.set(lower, a.slug);

    const covered = new Set(a.sources.flatMap((s) => s.fields));
    for (const field of FIGURE_FIELDS) {
      const value = (a as Record<string, unknown>)[field];
      const present = Array.isArray(value) ? value.length > 0 : value !== undefined;
      if (present && field !== 'history' && !covered.has(field)) report(file, field, 'has a figure but no source lists it in sources[].fields');
    }
    for (const message of implausible(a)) report(file, message.field, message.message);
    if (a.family !== undefined) {
      const family = aircraft.find((f) => f.data.slug === a.family)?.data;
      if (!family) report(file, 'family', `"${a.family}" has no file in aircraft/`);
      else for (const message of scopeClash(a, family)) report(file, message.field, message.message);
    }
  }
  for (const { file, data: m } of manufacturers) {
    if (!aircraft.some((a) => a.data.manufacturer === m.slug)) report(file, 'slug', `manufacturer "${m.slug}" has no aircraft`);
  }
  for (const { file, data: t } of types) {
    if (t.manufacturerSlug && !makerSlugs.has(t.manufacturerSlug)) report(file, 'manufacturerSlug', `"${t.manufacturerSlug}" has no file in manufacturers/: run scripts/data/derive.ts`);
  }
  return { aircraft: aircraft.map((a) => a.data), manufacturers: manufacturers.map((m) => m.data), types: types.map((t) => t.data), problems };
}

/** Same date, or one a prefix of the other ("1957" and "1957-12-20"): the same known date. */
const sameDate = (x: string, y: string): boolean => x.startsWith(y) || y.startsWith(x);

/**
 * A variant against its family record: a variant's figures are its own, so its first flight and
 * service entry cannot be the family prototype's, and it cannot have been built in greater
 * numbers than the whole family.
 */
export function scopeClash(variant: Aircraft, family: Aircraft): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (family.scope !== 'family') out.push({ field: 'family', message: `"${family.slug}" is a ${family.scope} record, not a family record` });
  for (const field of ['firstFlight', 'introduced'] as const) {
    const mine = variant[field];
    const theirs = family[field];
    if (mine !== undefined && theirs !== undefined && sameDate(mine, theirs)) {
      out.push({ field, message: `${mine} is the family's (${family.slug}) ${field}: give this variant's own date or leave it out` });
    }
  }
  if (variant.numberBuilt !== undefined && family.numberBuilt !== undefined && variant.numberBuilt >= family.numberBuilt) {
    out.push({ field: 'numberBuilt', message: `${variant.numberBuilt} is not fewer than the whole family's ${family.numberBuilt} (${family.slug}): count this variant only` });
  }
  return out;
}

/** Cross-field sanity beyond the schema's bounds: shapes no real aircraft has. */
function implausible(a: Aircraft): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (a.wingspanM !== undefined && a.lengthM !== undefined && (a.wingspanM > a.lengthM * 4 || a.lengthM > a.wingspanM * 5) && !a.roles.includes('helicopter')) {
    out.push({ field: 'wingspanM', message: `wingspan ${a.wingspanM} m against length ${a.lengthM} m is not a plausible aircraft shape` });
  }
  if (a.mtowKg !== undefined && a.wingspanM !== undefined && a.mtowKg / (a.wingspanM * a.wingspanM) > 600) {
    out.push({ field: 'mtowKg', message: `MTOW ${a.mtowKg} kg is implausibly heavy for a ${a.wingspanM} m span` });
  }
  if (a.rangeKm !== undefined && a.cruiseSpeedKmh !== undefined && a.rangeKm / a.cruiseSpeedKmh > 40) {
    out.push({ field: 'rangeKm', message: `range ${a.rangeKm} km would take over 40 h at ${a.cruiseSpeedKmh} km/h` });
  }
  if (a.status === 'in-production' && a.firstFlight && Number(a.firstFlight.slice(0, 4)) < 1930) {
    out.push({ field: 'status', message: `in production but first flew in ${a.firstFlight}` });
  }
  return out;
}

if (import.meta.main) {
  const { values } = commandLine('usage: node scripts/data/check.ts [--dir data]', { options: { dir: { type: 'string', default: 'data' } } });
  const { aircraft, manufacturers, types, problems } = checkData(values.dir);
  for (const p of problems) console.error(`${p.file}: ${p.field}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`\ndata check: ${problems.length} problem(s) in ${values.dir}; fix the fields named above.`);
    process.exit(1);
  }
  const roles = new Map<string, number>();
  for (const a of aircraft) for (const r of a.roles) roles.set(r, (roles.get(r) ?? 0) + 1);
  const short = types.filter((t) => !aircraft.some((a) => a.icao === t.designator)).length;
  console.log(`data check: ${aircraft.length} aircraft, ${manufacturers.length} manufacturers, ${types.length} ICAO type designators (${short} as short entries only), all valid`);
  console.log(`  by role: ${[...roles].sort((x, y) => y[1] - x[1]).map(([r, n]) => `${r} ${n}`).join(', ')}`);
}
