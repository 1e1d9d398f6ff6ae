import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { AircraftDay, LaterRanks } from './aircraft-day.ts';
import { AircraftHour } from './aircraft-hour.ts';
import { Sketch, SketchUnion } from './sketch.ts';
import { SlugDictionary } from './slug-dictionary.ts';
import { ByteReader, ByteWriter } from './varint.ts';

const SLUGS = ['concorde', 'a380', 'spitfire', 'b-52', 'dc-3'];

/** A random day: per hour an `AircraftHour` and, beside it, the same views and visitors as plain sketches. */
function randomDay(random: () => number) {
  const hours = new Map<number, AircraftHour>();
  const truth = new Map<string, { views: number[]; sketches: Sketch[] }>();
  for (let hour = 0; hour < 24; hour++) {
    if (random() < 0.2) continue;
    const aircraft = new AircraftHour();
    // One hour of one aircraft past the sparse limit (a dense sketch), the others a handful to hundreds.
    const dense = hour === 5;
    for (const slug of SLUGS) {
      if (random() < 0.3) continue;
      let t = truth.get(slug);
      if (!t) truth.set(slug, (t = { views: new Array<number>(24).fill(0), sketches: Array.from({ length: 24 }, () => new Sketch()) }));
      const n = dense && slug === 'concorde' ? 5_000 : Math.floor(random() * 300);
      const bucket = aircraft.bucket(slug);
      for (let i = 0; i < n; i++) {
        const visitor = `v${Math.floor(random() * 20_000)}`;
        bucket.views += 1;
        bucket.visitors.add(visitor);
        (t.views[hour] as number)++;
        (t.sketches[hour] as Sketch).add(visitor);
      }
    }
    if (random() < 0.7) aircraft.pack();
    hours.set(hour, aircraft);
  }
  return { hours, truth };
}

function expectSameAsHours(day: AircraftDay, truth: Map<string, { views: number[]; sketches: Sketch[] }>, random: () => number): void {
  expect([...Array(day.size).keys()].map((slot) => day.slugAt(slot))).toEqual([...truth.keys()].sort());
  const got = new SketchUnion();
  const want = new SketchUnion();
  for (let round = 0; round < 40; round++) {
    const a = Math.floor(random() * 24);
    const b = Math.floor(random() * 24);
    const [from, to] = round === 0 ? [0, 23] : [Math.min(a, b), Math.max(a, b)];
    for (let slot = 0; slot < day.size; slot++) {
      const t = truth.get(day.slugAt(slot)) as { views: number[]; sketches: Sketch[] };
      let views = 0;
      for (let h = from; h <= to; h++) {
        views += t.views[h] as number;
        want.add(t.sketches[h] as Sketch);
      }
      day.unionInto(slot, got, from, to);
      expect(day.viewsIn(slot, from, to)).toBe(views);
      expect(got.count()).toBe(want.count());
      got.clear();
      want.clear();
    }
  }
}

describe('AircraftDay', () => {
  const slugs = new SlugDictionary();

  it('answers any range of its hours exactly as the union of those hours (seeded random days)', () => {
    const random = seededRandom(14);
    for (let run = 0; run < 12; run++) {
      const { hours, truth } = randomDay(random);
      const day = AircraftDay.fold(hours);
      expectSameAsHours(day, truth, random);
      expectSameAsHours(AircraftDay.fromBytes(day.toBytes(slugs), slugs), truth, random);
    }
  });

  it('folds late hours into a day already folded to the same day as folding them all at once', () => {
    const random = seededRandom(41);
    for (let run = 0; run < 6; run++) {
      const { hours, truth } = randomDay(random);
      const early = new Map([...hours].filter(([h]) => h % 3 !== 0));
      const late = new Map([...hours].filter(([h]) => h % 3 === 0));
      const twice = AircraftDay.fold(late, AircraftDay.fold(early));
      expect(twice.toBytes(slugs)).toEqual(AircraftDay.fold(hours).toBytes(slugs));
      expectSameAsHours(twice, truth, random);
    }
  });

  it('drops entries a later hour outranks, and still counts every range that ends at the newest hour exactly (seeded random)', () => {
    const random = seededRandom(23);
    for (let run = 0; run < 6; run++) {
      // Two folded days and the hours still hourly after them, as a partition holds them.
      const older = randomDay(random);
      const newer = randomDay(random);
      const hourly = randomDay(random);
      const later = new LaterRanks(hourly.hours.values());
      const newerDay = AircraftDay.fold(newer.hours, undefined, later);
      const olderDay = AircraftDay.fold(older.hours, undefined, later);
      expect(olderDay.byteLength).toBeLessThan(AircraftDay.fold(older.hours).byteLength);
      const got = new SketchUnion();
      const want = new SketchUnion();
      for (let round = 0; round < 24; round++) {
        const from = round === 0 ? 0 : Math.floor(random() * 24);
        for (const slug of SLUGS) {
          // From hour `from` of the older day to the newest hourly hour; the newer day and the hours whole.
          for (const [day, truth, start] of [[olderDay, older.truth, from], [newerDay, newer.truth, 0]] as const) {
            const slot = [...Array(day.size).keys()].find((s) => day.slugAt(s) === slug);
            if (slot !== undefined) day.unionInto(slot, got, start, 23);
            for (let h = start; h < 24; h++) {
              const sketch = truth.get(slug)?.sketches[h];
              if (sketch) want.add(sketch);
            }
          }
          for (const hour of hourly.hours.values()) {
            for (let slot = 0; slot < hour.size; slot++) if (hour.slugAt(slot) === slug) hour.unionInto(slot, got);
          }
          for (const sketch of hourly.truth.get(slug)?.sketches ?? []) want.add(sketch);
          expect(got.count()).toBe(want.count());
          got.clear();
          want.clear();
        }
      }
    }
  });

  it('adds a late view to an hour the day already holds', () => {
    const first = new AircraftHour();
    first.bucket('concorde').views = 2;
    first.bucket('concorde').visitors.add('a');
    const late = new AircraftHour();
    late.bucket('concorde').views = 1;
    late.bucket('concorde').visitors.add('b');
    const day = AircraftDay.fold(new Map([[7, late]]), AircraftDay.fold(new Map([[7, first]])));
    const union = new SketchUnion();
    day.unionInto(0, union, 7, 7);
    expect([day.viewsIn(0, 7, 7), union.count(), day.viewsIn(0, 8, 23)]).toEqual([3, 2, 0]);
  });

  it('reads rows that name aircraft by slug (written before the slug dictionary) to the same counts', () => {
    const { hours, truth } = randomDay(seededRandom(5));
    const day = AircraftDay.fold(hours);
    // The earlier format: each slot's slug spelled out (length, UTF-8) where the id is now.
    const row = new ByteReader(day.toBytes(slugs), 1);
    const out = new ByteWriter();
    out.uint(1);
    const n = row.uint();
    out.uint(n);
    for (let slot = 0; slot < n; slot++) {
      const name = new TextEncoder().encode(slugs.at(row.uint()));
      out.uint(name.length);
      out.bytes(name);
    }
    out.bytes(row.take(row.bytes.length - row.pos));
    expectSameAsHours(AircraftDay.fromBytes(out.finish(), new SlugDictionary()), truth, seededRandom(6));
  });

  it('costs fewer bytes than its hours, which each repeat every slug', () => {
    const { hours } = randomDay(seededRandom(7));
    const hourBytes = [...hours.values()].reduce((sum, h) => sum + h.toBytes(slugs).length, 0);
    expect(AircraftDay.fold(hours).toBytes(slugs).length).toBeLessThan(hourBytes);
  });

  it('refuses a row of another format or a truncated one with an error that says so', () => {
    const row = AircraftDay.fold(randomDay(seededRandom(3)).hours).toBytes(slugs);
    expect(() => AircraftDay.fromBytes(Uint8Array.of(9, ...row.subarray(1)), slugs)).toThrow(/format 9/);
    expect(() => AircraftDay.fromBytes(row.subarray(0, row.length - 3), slugs)).toThrow(/truncated/);
    expect(() => AircraftDay.fold(new Map([[24, new AircraftHour()]]))).toThrow(/0–23/);
  });
});
