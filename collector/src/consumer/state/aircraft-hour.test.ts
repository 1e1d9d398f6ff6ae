import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { AircraftHour } from './aircraft-hour.ts';
import { Sketch, SketchUnion } from './sketch.ts';
import { SlugDictionary } from './slug-dictionary.ts';
import { ByteReader, ByteWriter } from './varint.ts';

/** An hour with a small sketch, an empty one, one of ~1,000 entries and a dense one (3,000 > 2,048 entries). */
function sample(): AircraftHour {
  const hour = new AircraftHour();
  for (const [slug, n] of [['concorde', 3], ['a380', 0], ['spitfire', 1_000], ['b-52', 3_000]] as const) {
    const bucket = hour.bucket(slug);
    bucket.views = n * 2 + 1;
    for (let i = 0; i < n; i++) bucket.visitors.add(`${slug}-${i}`);
  }
  return hour;
}

/** Each slot's slug, views and distinct count, read the way the snapshot reads them. */
function read(hour: AircraftHour): [string, number, number][] {
  const union = new SketchUnion();
  return Array.from({ length: hour.size }, (_, slot) => {
    union.clear();
    hour.unionInto(slot, union);
    return [hour.slugAt(slot), hour.viewsAt(slot), union.count()];
  });
}

describe('AircraftHour (packed hours)', () => {
  const slugs = new SlugDictionary();

  it('reads the same slugs, views and visitor counts open, packed, and restored from its row', () => {
    const hour = sample();
    const open = read(hour);
    expect(open.map(([slug]) => slug)).toEqual(['concorde', 'a380', 'spitfire', 'b-52']);
    expect(open[2]?.[2]).toBeGreaterThan(950);
    const row = hour.toBytes(slugs);
    hour.pack();
    expect(hour.packed).toBe(true);
    expect(read(hour)).toEqual(open);
    expect(hour.toBytes(slugs)).toEqual(row);
    const restored = AircraftHour.fromBytes(row, slugs);
    expect(restored.packed).toBe(true);
    expect(read(restored)).toEqual(open);
  });

  it('counts a packed sketch in a union exactly as the sketch itself', () => {
    const hour = sample();
    const sketches = Array.from({ length: hour.size }, (_, slot) => hour.bucket(hour.slugAt(slot)).visitors);
    const direct = new SketchUnion();
    for (const s of sketches) direct.add(s);
    hour.pack();
    const packed = new SketchUnion();
    for (let slot = 0; slot < hour.size; slot++) hour.unionInto(slot, packed);
    expect(packed.count()).toBe(direct.count());
    expect(packed.count()).toBeGreaterThan(3_800);
  });

  it('opens again for a late view, keeping what it held', () => {
    const hour = sample();
    hour.pack();
    const bucket = hour.bucket('spitfire');
    expect(hour.packed).toBe(false);
    expect(bucket.views).toBe(2_001);
    bucket.views += 1;
    bucket.visitors.add('late-visitor');
    const fresh = sample().bucket('spitfire').visitors;
    fresh.add('late-visitor');
    expect(read(hour)[2]).toEqual(['spitfire', 2_002, fresh.count()]);
    expect(hour.bucket('new-slug').views).toBe(0);
    expect(hour.size).toBe(5);
  });

  it('reads rows written before packed hours (v8-serialized) to the same counts', () => {
    const hour = sample();
    const legacy = serialize(
      Array.from({ length: hour.size }, (_, slot) => {
        const b = hour.bucket(hour.slugAt(slot));
        return [hour.slugAt(slot), b.views, b.visitors.toBytes()];
      }),
    );
    expect(read(AircraftHour.fromBytes(legacy, slugs))).toEqual(read(hour));
  });

  it('reads rows that name aircraft by slug (written before the slug dictionary) to the same counts, and names an id it was given', () => {
    const hour = sample();
    const row = new ByteReader(hour.toBytes(slugs), 1);
    // The earlier format: each slot's slug spelled out (length, UTF-8) where the id is now.
    const out = new ByteWriter();
    out.uint(2);
    const n = row.uint();
    out.uint(n);
    const ids = Array.from({ length: n }, () => row.uint());
    for (const id of ids) {
      const name = new TextEncoder().encode(slugs.at(id));
      out.uint(name.length);
      out.bytes(name);
      out.uint(row.uint());
    }
    out.bytes(row.take(row.bytes.length - row.pos));
    expect(read(AircraftHour.fromBytes(out.finish(), new SlugDictionary()))).toEqual(read(hour));
    expect(() => AircraftHour.fromBytes(hour.toBytes(new SlugDictionary()), new SlugDictionary()).slugAt(0)).toThrow(/no slug has id 0/);
  });

  it('refuses a truncated row with an error that says so', () => {
    const row = sample().toBytes(slugs);
    expect(() => AircraftHour.fromBytes(row.subarray(0, row.length - 5), slugs)).toThrow(/truncated/);
  });

  it('packs a sketch in fewer bytes than its stored form', () => {
    const s = new Sketch();
    for (let i = 0; i < 1_000; i++) s.add(`v${i}`);
    const hour = new AircraftHour();
    hour.bucket('x').visitors = s;
    expect(hour.toBytes(slugs).length).toBeLessThan(s.toBytes().length * 0.75);
  });
});
