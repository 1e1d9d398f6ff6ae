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

export const sourceSchema = z.strictObject({
  /** What the source is, e.g. "openscope aircraft performance data (MIT)". */
  title: z.string().min(3).max(200),
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
    lengthM: between(2, 100).optional(),
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
    serviceCeilingM: between(500, 30_000).optional(),
    /** A short history, plain text, 1–3 paragraphs separated by blank lines. */
    history: z.string().min(40).max(2_000),
    variants: z.array(variantSchema).max(20).default([]),
    /** Slugs of related aircraft in `data/aircraft/`. */
    related: z.array(slugSchema).max(12).default([]),
    image: imageSchema.optional(),
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
