import { z } from 'zod';
import { slugSchema } from './slug.ts';

/**
 * The aircraft database schema: one JSON file per aircraft in `data/aircraft/<slug>.json` and
 * one per manufacturer in `data/manufacturers/<slug>.json`. The site's content collections, the
 * data check and the collector's slug check all use these schemas.
 *
 * Units are canonical SI-style and named in the field (`lengthM`, `mtowKg`, `maxSpeedKmh`);
 * the site converts for display. Every figure is optional: an unknown figure is left out, never
 * guessed, and `sources[].fields` says where each figure that is present came from. Bounds are
 * plausibility checks (a wingspan of 3 km fails), generous enough for the An-225 and the SR-71.
 */

export const ROLES = [
  'airliner',
  'regional',
  'business-jet',
  'general-aviation',
  'fighter',
  'attack',
  'bomber',
  'transport',
  'tanker',
  'reconnaissance',
  'patrol',
  'trainer',
  'helicopter',
  'utility',
  'aerobatic',
  'experimental',
  'airship',
] as const;
export const roleSchema = z.enum(ROLES);

export const STATUSES = ['in-production', 'in-service', 'limited-service', 'retired', 'prototype'] as const;
export const statusSchema = z.enum(STATUSES);

export const ENGINE_TYPES = ['turbofan', 'turbojet', 'turboprop', 'turboshaft', 'propfan', 'piston', 'electric', 'rocket'] as const;
export const engineTypeSchema = z.enum(ENGINE_TYPES);

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, from 1900 on. */
export const partialDateSchema = z
  .string()
  .regex(/^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');

const between = (min: number, max: number) => z.number().finite().min(min).max(max);

/**
 * What a record describes. `family`: a whole type (Boeing 707, Supermarine Spitfire): its dates
 * are the prototype's first flight and the first service entry, `numberBuilt` counts every
 * version, and dimensions and performance are those of its main production version (named in
 * the history or `variants`). `variant`: one version (707-320B, Spitfire Mk IX): every figure,
 * dates and production total included, is that version's own; a figure only known for the whole
 * family is left out (or put on the family record), never copied down.
 */
export const SCOPES = ['family', 'variant'] as const;
export const scopeSchema = z.enum(SCOPES);

/**
 * Which distance `rangeKm` is. `range`: with a typical payload (airliners: full passengers,
 * military types: a normal mission load, Wikipedia's plain "Range"); `ferry`: with no payload
 * and the most fuel, external tanks included; `combat-radius`: out and back, so the distance to
 * the target, not the total flown.
 */
export const RANGE_KINDS = ['range', 'ferry', 'combat-radius'] as const;
export const rangeKindSchema = z.enum(RANGE_KINDS);

/**
 * Planform shape, for drawing the aircraft seen from above to scale (span and length come from
 * `wingspanM`/`rotorDiameterM` and `lengthM`). These are drawing hints chosen from the type's
 * layout, not published figures, so no source lists them.
 */
export const WING_SHAPES = [
  /** Constant chord, unswept (Piper Cub, Fokker D.VII, C-130). */
  'straight',
  /** Unswept but narrowing to the tip (Spitfire's ellipse, P-51, ATR 72, most light twins). */
  'tapered',
  /** Swept back (jet airliners, F-86, B-52). */
  'swept',
  /** Triangular, with or without a tail (Mirage, Concorde's ogee, Vulcan, F-106, Tu-144). */
  'delta',
  /** Swing wing (F-14, F-111, Tornado, B-1, Tu-160, MiG-23); drawn spread, `sweepDeg` is the fully swept angle. */
  'variable-sweep',
  /** A helicopter: drawn as a rotor disc of `rotorDiameterM`. */
  'rotor',
  /** An airship: a streamlined hull and no wing, its width drawn from `lengthM`. */
  'envelope',
] as const;
export const TAIL_SHAPES = [
  /** One fin, a tailplane at its foot or on the fuselage. */
  'conventional',
  /** Tailplane on top of the fin (727, DC-9, C-17, Learjet). */
  't-tail',
  /** Tailplane partway up the fin, or an airship's + or X of fins. */
  'cruciform',
  /** Two fins with a tailplane: H-tails (Lancaster, B-24), twin-boom (P-38) and twin-fin jets (F-15, F-14). */
  'twin-fin',
  /** Two inclined surfaces, no separate fin (Bonanza 35, Global Hawk, F-117, YF-23). */
  'v-tail',
  /** A foreplane instead of a tailplane, fin(s) at the back (Rafale, Typhoon, Gripen, Wright Flyer). */
  'canard',
  /** No horizontal tail (Mirage III, Concorde, Vulcan, B-2). */
  'tailless',
] as const;
export const ENGINE_LAYOUTS = [
  /** One engine in the nose (single-engine piston and turboprop types). */
  'nose',
  /** In nacelles on or in the wing (piston and turboprop twins and four-engine types, Comet's wing-root jets). */
  'wing',
  /** Jet pods hung under the wing (most jet airliners, B-52). */
  'underwing-pods',
  /** Inside the fuselage (jet fighters, helicopters' engines above the cabin, an airship's hull-mounted cars). */
  'fuselage',
  /** Pods on the rear fuselage (DC-9, CRJ, business jets, VC10) or a pusher at the back (Predator, TB2). */
  'rear-fuselage',
  /** Three engines: two under the wing and one in the fin (DC-10, MD-11, L-1011 centre engine in the tail). */
  'underwing-and-tail',
  /** Three engines all at the tail (727, Trident, Tu-154, Falcon 900). */
  'tail',
  /** No engine (gliders). */
  'none',
] as const;

export const planformSchema = z
  .strictObject({
    wing: z.enum(WING_SHAPES),
    /** Leading-edge sweep in degrees, approximate (to 5°), for drawing; required for swept, delta and variable-sweep wings, absent otherwise. */
    sweepDeg: z.number().int().min(0).max(80).optional(),
    tail: z.enum(TAIL_SHAPES),
    engineLayout: z.enum(ENGINE_LAYOUTS),
    /** How many engines to draw, when it differs from `engines.count` or there is no `engines` (B-36: 6 pistons + 4 jets → 10). */
    engineCount: z.number().int().min(0).max(12).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.sweepDeg !== undefined && !['swept', 'delta', 'variable-sweep'].includes(p.wing)) {
      ctx.addIssue({ code: 'custom', path: ['sweepDeg'], message: `a ${p.wing} wing has no sweep to draw: leave sweepDeg out` });
    }
    if (p.sweepDeg === undefined && ['swept', 'delta', 'variable-sweep'].includes(p.wing)) {
      ctx.addIssue({ code: 'custom', path: ['sweepDeg'], message: `a ${p.wing} wing needs sweepDeg (leading edge, to 5°) to be drawn` });
    }
    if (p.engineLayout === 'none' && p.engineCount !== undefined && p.engineCount > 0) {
      ctx.addIssue({ code: 'custom', path: ['engineCount'], message: 'engineLayout "none" draws no engine: engineCount must be 0 or absent' });
    }
  });

/** Names of the figure fields, so `sources[].fields` can point at them. */
export const FIGURE_FIELDS = [
  'firstFlight',
  'introduced',
  'numberBuilt',
  'crew',
  'passengers',
  'lengthM',
  'wingspanM',
  'rotorDiameterM',
  'heightM',
  'emptyWeightKg',
  'mtowKg',
  'engines',
  'maxSpeedKmh',
  'cruiseSpeedKmh',
  'rangeKm',
  'serviceCeilingM',
  'history',
  'variants',
  'icao',
  'wakeCategory',
] as const;

/**
 * Kinds of source. A record may cite several, each with the fields it backs: a reference work
 * for most figures and, where one exists, a primary document for some of them.
 */
export const SOURCE_KINDS = [
  /** An encyclopedia or reference book (Wikipedia's specification boxes, Jane's). */
  'reference',
  /** A type certificate data sheet (FAA, EASA, TCCA): engines, weights, seats as certified. */
  'type-certificate',
  /** The manufacturer's or operator's published specification page or brochure. */
  'manufacturer',
  /** A public dataset (ICAO Doc 8643 designators, openscope). */
  'dataset',
] as const;

export const sourceSchema = z.strictObject({
  /** What the source is, e.g. "openscope aircraft performance data (MIT)". */
  title: z.string().min(3).max(200),
  /** What kind of source it is; absent means a reference work. */
  kind: z.enum(SOURCE_KINDS).optional(),
  url: z.url().max(500).optional(),
  /** Licence of the source material when it is not plain fact, e.g. "MIT". */
  licence: z.string().max(80).optional(),
  /** The fields whose figures come from this source. */
  fields: z.array(z.enum(FIGURE_FIELDS)).min(1),
});

export const engineSchema = z.strictObject({
  type: engineTypeSchema,
  count: z.number().int().min(1).max(10),
  /** Engine model, e.g. "CFM International CFM56-5B4". */
  model: z.string().min(2).max(120).optional(),
  /** Static thrust per engine, dry (kN). For jets. */
  thrustKn: between(0.1, 600).optional(),
  /** Afterburning thrust per engine (kN). */
  afterburnerThrustKn: between(0.1, 600).optional(),
  /** Power per engine (kW). For pistons, turboprops, turboshafts. */
  powerKw: between(1, 12_000).optional(),
});

export const imageSchema = z.strictObject({
  /** Path under `public/` (starting with `/`) or an absolute https URL. */
  src: z.string().min(1).max(500),
  alt: z.string().min(5).max(300),
  /** Licence name, e.g. "CC BY-SA 4.0" or "Public domain". */
  licence: z.string().min(2).max(80),
  /** Author / owner as the licence requires it to be credited. */
  attribution: z.string().min(2).max(200),
  /** Page the image comes from. */
  sourceUrl: z.url().max(500),
});

export const variantSchema = z.strictObject({
  name: z.string().min(1).max(120),
  note: z.string().max(300).optional(),
});

export const aircraftSchema = z
  .strictObject({
    /** Stable, URL-safe id; equals the file name without `.json`. */
    slug: slugSchema,
    /** Common name, e.g. "Boeing 747-400". */
    name: z.string().min(2).max(120),
    /** Slug of a manufacturer in `data/manufacturers/`. */
    manufacturer: slugSchema,
    /** Whether the record describes a whole family or one variant; every figure must match (see `SCOPES`). */
    scope: scopeSchema,
    /** For a variant: slug of its family's record in `data/aircraft/`, when there is one. */
    family: slugSchema.optional(),
    /** Official designation, e.g. "F-16C", "A320-200", "Bf 109 G-6". */
    designation: z.string().min(1).max(80),
    /** ICAO type designator (Doc 8643), e.g. "B744". */
    icao: z.string().regex(/^[A-Z0-9]{2,4}$/, 'must be 2–4 upper-case letters or digits').optional(),
    /** ICAO wake turbulence category. */
    wakeCategory: z.enum(['L', 'M', 'H', 'J']).optional(),
    roles: z.array(roleSchema).min(1).max(5),
    /** Country of origin (English short name, e.g. "United States", "Soviet Union"). */
    country: z.string().min(2).max(60),
    firstFlight: partialDateSchema.optional(),
    /** Entry into service. */
    introduced: partialDateSchema.optional(),
    status: statusSchema,
    numberBuilt: z.number().int().min(1).max(200_000).optional(),
    crew: z.number().int().min(0).max(30).optional(),
    /** Typical maximum passenger seating, where the type carries passengers. */
    passengers: z.number().int().min(1).max(1000).optional(),
    /** Overall length; over 100 m only for airships (the Hindenburg was 245 m). */
    lengthM: between(2, 300).optional(),
    wingspanM: between(2, 120).optional(),
    /** Main rotor diameter, for helicopters (which have no wingspan). */
    rotorDiameterM: between(2, 40).optional(),
    heightM: between(1, 30).optional(),
    emptyWeightKg: between(100, 300_000).optional(),
    mtowKg: between(200, 700_000).optional(),
    engines: engineSchema.optional(),
    maxSpeedKmh: between(30, 4_000).optional(),
    cruiseSpeedKmh: between(30, 3_500).optional(),
    rangeKm: between(50, 45_000).optional(),
    /** Which range `rangeKm` is; required with it. Backed by the source that backs `rangeKm`. */
    rangeKind: rangeKindSchema.optional(),
    serviceCeilingM: between(500, 30_000).optional(),
    /** A short history, plain text, 1–3 paragraphs separated by blank lines. */
    history: z.string().min(40).max(2_000),
    variants: z.array(variantSchema).max(20).default([]),
    /** Slugs of related aircraft in `data/aircraft/`. */
    related: z.array(slugSchema).max(12).default([]),
    image: imageSchema.optional(),
    /** Shape for the to-scale planform drawing; every full record has one. */
    planform: planformSchema,
    sources: z.array(sourceSchema).min(1).max(10),
  })
  .superRefine((a, ctx) => {
    if (a.emptyWeightKg !== undefined && a.mtowKg !== undefined && a.emptyWeightKg >= a.mtowKg) {
      ctx.addIssue({ code: 'custom', path: ['emptyWeightKg'], message: `empty weight ${a.emptyWeightKg} kg must be below MTOW ${a.mtowKg} kg` });
    }
    if (a.cruiseSpeedKmh !== undefined && a.maxSpeedKmh !== undefined && a.cruiseSpeedKmh > a.maxSpeedKmh) {
      ctx.addIssue({ code: 'custom', path: ['cruiseSpeedKmh'], message: `cruise speed ${a.cruiseSpeedKmh} km/h exceeds max speed ${a.maxSpeedKmh} km/h` });
    }
    if (a.firstFlight && a.introduced && a.introduced.slice(0, 4) < a.firstFlight.slice(0, 4)) {
      ctx.addIssue({ code: 'custom', path: ['introduced'], message: `introduced ${a.introduced} is before first flight ${a.firstFlight}` });
    }
    if (a.lengthM !== undefined && a.lengthM > 100 && !a.roles.includes('airship')) {
      ctx.addIssue({ code: 'custom', path: ['lengthM'], message: `length ${a.lengthM} m: only an airship is longer than 100 m` });
    }
    if ((a.planform.wing === 'envelope') !== a.roles.includes('airship')) {
      ctx.addIssue({ code: 'custom', path: ['planform', 'wing'], message: 'an airship (role "airship") and only an airship has wing "envelope"' });
    }
    if (a.roles.includes('helicopter') && a.planform.wing !== 'rotor') {
      ctx.addIssue({ code: 'custom', path: ['planform', 'wing'], message: 'a helicopter is drawn as its rotor: wing "rotor"' });
    }
    if (a.planform.wing === 'rotor' && !a.roles.includes('helicopter') && a.wingspanM !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['planform', 'wing'], message: 'a rotor planform is for helicopters and autogyros without a wingspan' });
    }
    if (a.rangeKm !== undefined && a.rangeKind === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rangeKind'], message: 'rangeKm needs rangeKind: "range", "ferry" or "combat-radius"' });
    }
    if (a.rangeKm === undefined && a.rangeKind !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rangeKind'], message: 'rangeKind without rangeKm: leave both out or give both' });
    }
    if (a.family !== undefined && a.scope !== 'variant') {
      ctx.addIssue({ code: 'custom', path: ['family'], message: 'only a variant record names its family' });
    }
    if (a.family === a.slug) {
      ctx.addIssue({ code: 'custom', path: ['family'], message: 'a record cannot be its own family' });
    }
    if (a.related.includes(a.slug)) {
      ctx.addIssue({ code: 'custom', path: ['related'], message: 'an aircraft cannot be related to itself' });
    }
    const engines = a.engines;
    if (engines && ['piston', 'turboprop', 'turboshaft', 'electric'].includes(engines.type) && engines.thrustKn !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['engines', 'thrustKn'], message: `a ${engines.type} engine is rated in power (powerKw), not thrust` });
    }
    if (engines && ['turbofan', 'turbojet', 'rocket'].includes(engines.type) && engines.powerKw !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['engines', 'powerKw'], message: `a ${engines.type} is rated in thrust (thrustKn, afterburnerThrustKn), not power` });
    }
    if (engines?.afterburnerThrustKn !== undefined && engines.thrustKn !== undefined && engines.afterburnerThrustKn <= engines.thrustKn) {
      ctx.addIssue({ code: 'custom', path: ['engines', 'afterburnerThrustKn'], message: `afterburning thrust ${engines.afterburnerThrustKn} kN must exceed dry thrust ${engines.thrustKn} kN` });
    }
  });

export const manufacturerSchema = z.strictObject({
  slug: slugSchema,
  name: z.string().min(2).max(120),
  country: z.string().min(2).max(60),
  founded: z.number().int().min(1850).max(2030).optional(),
  /** Year it ceased to exist as an independent maker (merged, acquired, closed). */
  defunct: z.number().int().min(1900).max(2030).optional(),
  description: z.string().min(40).max(1_200),
  sources: z.array(z.strictObject({ title: z.string().min(3).max(200), url: z.url().max(500).optional() })).min(1).max(5),
});

export type Role = z.infer<typeof roleSchema>;
export type AircraftStatus = z.infer<typeof statusSchema>;
export type EngineType = z.infer<typeof engineTypeSchema>;
export type Aircraft = z.infer<typeof aircraftSchema>;
export type AircraftInput = z.input<typeof aircraftSchema>;
export type Manufacturer = z.infer<typeof manufacturerSchema>;

/**
 * The era of an aircraft: the decade of its first flight (`1950s`), `unknown` without one. The
 * site's era pages and the consumer's popular eras share it, so both name an era the same way.
 */
export const eraOf = (firstFlight: string | undefined): string => (firstFlight ? `${firstFlight.slice(0, 3)}0s` : 'unknown');
