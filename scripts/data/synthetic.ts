/**
 * Synthetic aircraft for build-scale benchmarks, never shipped and never mixed with data/:
 * `node scripts/data/synthetic.ts --count 10000 --out .data/synthetic/10k [--seed 1]`.
 * Deterministic for a seed; every record passes the same schema and check as the real data.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commandLine } from '@hangarstack/shared/command-line';
import type { AircraftInput, Manufacturer, Role } from '@hangarstack/shared';
import { seededRandom } from '@hangarstack/testing/seeded-random';

const COUNTRIES = ['United States', 'France', 'United Kingdom', 'Germany', 'Brazil', 'Canada', 'Japan', 'Italy', 'Sweden', 'Russia'];
const SYLLABLES = ['aero', 'stra', 'vel', 'kor', 'dyn', 'nova', 'tek', 'lum', 'gal', 'mar', 'sky', 'zen', 'ori', 'cal', 'ran', 'tor'];

/** Shapes of real aircraft classes: ranges that keep every figure plausible together. */
const CLASSES = [
  { roles: ['airliner'], engine: 'turbofan', count: [2, 4], span: [28, 65], pax: [100, 450], mtow: [60_000, 380_000], speed: [820, 950], range: [3_000, 14_000], ceiling: [11_000, 13_100], planform: { wing: 'swept', sweepDeg: 30, tail: 'conventional', engineLayout: 'underwing-pods' } },
  { roles: ['regional'], engine: 'turboprop', count: [2, 2], span: [20, 29], pax: [30, 80], mtow: [12_000, 30_000], speed: [450, 670], range: [1_200, 2_500], ceiling: [7_000, 8_500], planform: { wing: 'tapered', tail: 't-tail', engineLayout: 'wing' } },
  { roles: ['business-jet'], engine: 'turbofan', count: [2, 3], span: [12, 32], pax: [6, 19], mtow: [4_500, 50_000], speed: [700, 950], range: [2_000, 14_000], ceiling: [12_500, 15_500], planform: { wing: 'swept', sweepDeg: 30, tail: 't-tail', engineLayout: 'rear-fuselage' } },
  { roles: ['general-aviation'], engine: 'piston', count: [1, 2], span: [9, 14], pax: [1, 5], mtow: [600, 2_500], speed: [180, 380], range: [700, 2_500], ceiling: [3_800, 7_600], planform: { wing: 'straight', tail: 'conventional', engineLayout: 'nose' } },
  { roles: ['fighter', 'attack'], engine: 'turbofan', count: [1, 2], span: [8, 15], pax: undefined, mtow: [10_000, 38_000], speed: [1_500, 2_500], range: [1_500, 4_000], ceiling: [15_000, 20_000], planform: { wing: 'delta', sweepDeg: 50, tail: 'conventional', engineLayout: 'fuselage' } },
  { roles: ['transport'], engine: 'turboprop', count: [2, 4], span: [28, 45], pax: [40, 120], mtow: [25_000, 140_000], speed: [500, 780], range: [1_800, 6_000], ceiling: [7_500, 11_500], planform: { wing: 'straight', tail: 't-tail', engineLayout: 'wing' } },
] as const;

export interface SyntheticData {
  aircraft: AircraftInput[];
  manufacturers: Manufacturer[];
}

export function generate(count: number, seed = 1): SyntheticData {
  const random = seededRandom(seed);
  const between = (min: number, max: number, digits = 0): number => Number((min + random() * (max - min)).toFixed(digits));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const word = (): string => pick(SYLLABLES) + pick(SYLLABLES);

  const makerCount = Math.max(3, Math.ceil(count / 40));
  const manufacturers: Manufacturer[] = Array.from({ length: makerCount }, (_, i) => {
    const name = `${word()[0]?.toUpperCase()}${word()} Aircraft ${i + 1}`;
    return {
      slug: `synthetic-maker-${i + 1}`,
      name,
      country: pick(COUNTRIES),
      founded: Math.floor(between(1910, 2010)),
      description: `${name} is a synthetic manufacturer generated for build benchmarks; it does not exist.`,
      sources: [{ title: 'HangarStack synthetic data generator' }],
    };
  });

  const aircraft: AircraftInput[] = Array.from({ length: count }, (_, i) => {
    const shape = pick(CLASSES);
    const maker = manufacturers[i % makerCount] as Manufacturer;
    const span = between(shape.span[0], shape.span[1], 2);
    const mtow = Math.round(between(shape.mtow[0], shape.mtow[1]));
    const maxSpeed = Math.round(between(shape.speed[0], shape.speed[1]));
    const firstFlight = Math.floor(between(1950, 2024));
    const model = `${word().toUpperCase().slice(0, 3)}-${100 + i}`;
    const slug = `synthetic-${i + 1}`;
    const engineCount = Math.floor(between(shape.count[0], shape.count[1] + 0.999));
    const jet = shape.engine === 'turbofan';
    return {
      slug,
      name: `${maker.name} ${model}`,
      manufacturer: maker.slug,
      scope: 'family',
      designation: model,
      roles: [...shape.roles] as Role[],
      country: maker.country,
      firstFlight: `${firstFlight}`,
      introduced: `${firstFlight + Math.floor(between(1, 5))}`,
      status: pick(['in-production', 'in-service', 'retired'] as const),
      numberBuilt: Math.floor(between(2, 3_000)),
      crew: Math.floor(between(1, 4)),
      ...(shape.pax ? { passengers: Math.floor(between(shape.pax[0], shape.pax[1])) } : {}),
      lengthM: Number((span * between(0.8, 1.25, 2)).toFixed(2)),
      wingspanM: span,
      heightM: between(2.5, Math.min(19, span / 3 + 1), 2),
      emptyWeightKg: Math.round(mtow * between(0.45, 0.62, 2)),
      mtowKg: mtow,
      engines: { type: shape.engine, count: engineCount, model: `${word()} ${Math.floor(between(100, 999))}`, ...(jet ? { thrustKn: between(10, 300, 1) } : { powerKw: between(100, 4_000) }) },
      maxSpeedKmh: maxSpeed,
      cruiseSpeedKmh: Math.round(maxSpeed * between(0.75, 0.92, 2)),
      rangeKm: Math.round(between(shape.range[0], shape.range[1])),
      rangeKind: 'range',
      serviceCeilingM: Math.round(between(shape.ceiling[0], shape.ceiling[1])),
      history: `The ${model} is a synthetic ${shape.roles[0]} generated for HangarStack's build benchmarks. It never existed, and its figures are random within realistic bounds.`,
      variants: [{ name: `${model}B`, note: 'synthetic variant' }],
      related: i > 0 ? [`synthetic-${i}`] : [],
      planform: shape.planform,
      sources: [
        {
          title: 'HangarStack synthetic data generator',
          fields: ['firstFlight', 'introduced', 'numberBuilt', 'crew', ...(shape.pax ? (['passengers'] as const) : []), 'lengthM', 'wingspanM', 'heightM', 'emptyWeightKg', 'mtowKg', 'engines', 'maxSpeedKmh', 'cruiseSpeedKmh', 'rangeKm', 'serviceCeilingM', 'variants'],
        },
      ],
    };
  });
  return { aircraft, manufacturers };
}

/** Writes a data dir in the same layout as data/ (aircraft/, manufacturers/). */
export function writeDataDir(data: SyntheticData, out: string): void {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'aircraft'), { recursive: true });
  mkdirSync(join(out, 'manufacturers'), { recursive: true });
  for (const a of data.aircraft) writeFileSync(join(out, 'aircraft', `${a.slug}.json`), `${JSON.stringify(a, null, 2)}\n`);
  for (const m of data.manufacturers) writeFileSync(join(out, 'manufacturers', `${m.slug}.json`), `${JSON.stringify(m, null, 2)}\n`);
}

if (import.meta.main) {
  const { values } = commandLine('usage: node scripts/data/synthetic.ts [--count 1000] [--out .data/synthetic/<count>] [--seed 1]', { options: { count: { type: 'string', default: '1000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 200_000) {
    console.error(`--count must be an integer from 1 to 200000, got "${values.count}"`);
    process.exit(2);
  }
  const out = resolve(values.out ?? `.data/synthetic/${count}`);
  if (out === resolve('data')) {
    console.error('refusing to write synthetic records into data/: pass --out to another directory');
    process.exit(2);
  }
  const started = performance.now();
  writeDataDir(generate(count, Number(values.seed)), out);
  console.log(`synthetic: ${count} aircraft in ${out} (${Math.round(performance.now() - started)} ms)`);
}
