import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aircraftSchema, type Aircraft } from '@hangarstack/shared';
import { circle, dimensions, planform, planformCaption, planformLabel, poly, scaleBarM, sharedPlanform, takePlanform, type PlanformInput } from './planform.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', 'data', 'aircraft');
const record = (slug: string): Aircraft => aircraftSchema.parse(JSON.parse(readFileSync(join(DATA, `${slug}.json`), 'utf8')));

/** The closed shapes of a path (polygons from M…L…Z), as point lists. Arcs are read by `circles`. */
function shapes(d: string): [number, number][][] {
  return d
    .split('Z')
    .filter((s) => s.startsWith('M') && !s.includes('a'))
    .map((s) => s.slice(1).split('L').map((pair) => pair.split(' ').map(Number) as [number, number]));
}
function circles(d: string): { cx: number; cy: number; r: number }[] {
  return [...d.matchAll(/M(-?[\d.]+) (-?[\d.]+)a([\d.]+) /g)].map((m) => ({ cx: Number(m[1]) + Number(m[3]), cy: Number(m[2]), r: Number(m[3]) }));
}
const extent = (pts: [number, number][]) => {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { width: Math.max(...xs) - Math.min(...xs), length: Math.max(...ys) - Math.min(...ys), minY: Math.min(...ys), maxY: Math.max(...ys) };
};
/** Equal to the 0.1 m the paths are rounded to (each end rounds on its own). */
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.1 + 1e-9);
const base = (over: Partial<PlanformInput> & Pick<PlanformInput, 'planform'>): PlanformInput => ({ name: 'Test', ...over });

describe('planform geometry', () => {
  it('draws to true scale in metres: the span is the width, the length the length', () => {
    const a = base({ wingspanM: 68.4, lengthM: 63.7, planform: { wing: 'swept', sweepDeg: 35, tail: 'conventional', engineLayout: 'underwing-pods' }, engines: { type: 'turbofan', count: 2 } });
    const p = planform(a);
    const body = extent(shapes(p.body).flat());
    near(body.width, 68.4);
    near(body.length, 63.7);
    expect(p.scale).toBe('true');
    // Centred on the centreline and mid-length, so drawings overlay on one origin.
    near(body.minY, -63.7 / 2);
    const [x, y, w, h] = p.viewBox;
    near(x, -w / 2);
    expect(x).toBeLessThan(-34.2);
    expect(y).toBeLessThan(-31.85);
    expect(y + h).toBeGreaterThan(31.85);
  });

  it('draws a real record at its own figures (Boeing 747-400: 64.44 m by 70.66 m)', () => {
    const p = planform(record('boeing-747-400'));
    const body = extent(shapes(p.body).flat());
    near(body.width, 64.4);
    near(body.length, 70.7);
    // Four engines hung under the wing: four pods, none drawn as a propeller.
    expect(shapes(p.engines)).toHaveLength(4);
  });

  it('rounds every coordinate to 0.1 m so the paths stay small', () => {
    const p = planform(record('airbus-a380-800'));
    for (const d of [p.body, p.engines]) expect(d).not.toMatch(/\d\.\d\d/);
    expect(p.body.length + p.engines.length).toBeLessThan(700);
  });

  it('writes a coordinate as toFixed(1) does, without a trailing .0 or a -0', () => {
    const toFixedForm = (v: number) => {
      const s = (Math.round(v * 10) / 10).toFixed(1).replace(/\.0$/, '');
      return s === '-0' ? '0' : s;
    };
    expect(poly([[-0.04, 2.05], [3.25, -1.95], [12.345, 0.95], [-7.15, 100]])).toBe('M0 2.1L3.3 -1.9L12.3 1L-7.1 100Z');
    expect(circle(0, -0.02, 1.25)).toBe('M-1.2 0a1.3 1.3 0 1 0 2.5 0a1.3 1.3 0 1 0 -2.5 0Z');
    for (let k = -200_000; k <= 200_000; k += 7) {
      for (const v of [k / 10, k / 100 + 0.05, k * 0.0137]) expect(poly([[v, 0]])).toBe(`M${toFixedForm(v)} 0Z`);
    }
  });

  it('draws a record once for its page and its sheet, and lets go of it once the sheet took it', () => {
    const a = record('boeing-747-400');
    const drawn = sharedPlanform(a);
    expect(drawn).toEqual(planform(a));
    expect(sharedPlanform(a)).toBe(drawn);
    expect(takePlanform(a)).toBe(drawn);
    const again = takePlanform(a);
    expect(again).not.toBe(drawn);
    expect(again).toEqual(drawn);
    // An edited record is a new object: drawn from its own figures.
    expect(sharedPlanform({ ...a, wingspanM: 10 }).spanM).toBe(10);
  });

  it('gives a tailless delta no separate tailplane, and a tailed aircraft one', () => {
    const delta = planform(base({ wingspanM: 25.6, lengthM: 61.7, planform: { wing: 'delta', sweepDeg: 60, tail: 'tailless', engineLayout: 'underwing-pods' }, engines: { type: 'turbojet', count: 4 } }));
    // Fuselage and the two halves of the wing; nothing else.
    expect(shapes(delta.body)).toHaveLength(3);
    const tailed = planform(base({ wingspanM: 25.6, lengthM: 61.7, planform: { wing: 'swept', sweepDeg: 35, tail: 'conventional', engineLayout: 'underwing-pods' } }));
    const rear = shapes(tailed.body).filter((s) => extent(s).minY > 61.7 / 2 - 0.2 * 61.7);
    expect(rear).toHaveLength(2); // the tailplane's two halves
    expect(shapes(tailed.body)).toHaveLength(5);
    // A delta's wing reaches back to the tail and spans the full width.
    const wing = shapes(delta.body).slice(1).flat();
    near(extent(wing).width, 25.6);
    expect(extent(wing).maxY).toBeGreaterThan(61.7 / 2 - 0.1 * 61.7);
  });

  it('puts a canard ahead of the wing and a v-tail narrower than a tailplane', () => {
    const canard = planform(base({ wingspanM: 10.9, lengthM: 15.3, planform: { wing: 'delta', sweepDeg: 48, tail: 'canard', engineLayout: 'fuselage' }, engines: { type: 'turbofan', count: 2 } }));
    const [, left, right, foreLeft] = shapes(canard.body);
    expect(extent(foreLeft ?? []).maxY).toBeLessThan(Math.max(extent(left ?? []).minY, extent(right ?? []).minY) + 1);
    const v = planform(base({ wingspanM: 10.2, lengthM: 8.4, planform: { wing: 'tapered', tail: 'v-tail', engineLayout: 'nose' } }));
    const t = planform(base({ wingspanM: 10.2, lengthM: 8.4, planform: { wing: 'tapered', tail: 'conventional', engineLayout: 'nose' } }));
    expect(extent(shapes(v.body).slice(3).flat()).width).toBeLessThan(extent(shapes(t.body).slice(3).flat()).width);
  });

  it('draws a helicopter as a rotor disc of its rotor diameter', () => {
    const p = planform(record('bell-uh-1h-iroquois'));
    const [rotor] = circles(p.rotor);
    near(rotor?.r ?? 0, 14.63 / 2);
    expect(p.spanM).toBe(14.63);
    expect(p.viewBox[2]).toBeGreaterThanOrEqual(14.63);
    // The fuselage is the record's length, from the nose.
    near(extent(shapes(p.body).flat()).length, record('bell-uh-1h-iroquois').lengthM ?? 0);
  });

  it('draws an airship hull from its length with a one-to-five diameter', () => {
    const p = planform(record('goodyear-gz-20'));
    const hull = extent(shapes(p.body)[0] ?? []);
    near(hull.length, 58.5);
    near(hull.width, 58.5 / 5);
  });

  it('draws engines per layout and count', () => {
    const at = (engineLayout: PlanformInput['planform']['engineLayout'], count: number, type: 'piston' | 'turbofan') =>
      shapes(planform(base({ wingspanM: 30, lengthM: 30, planform: { wing: 'straight', tail: 'conventional', engineLayout }, engines: { type, count } })).engines);
    expect(at('nose', 1, 'piston')).toHaveLength(1); // the propeller
    expect(at('wing', 2, 'piston')).toHaveLength(4); // two nacelles, two propellers
    expect(at('wing', 4, 'piston')).toHaveLength(8);
    expect(at('wing', 3, 'piston')).toHaveLength(5); // a trimotor: two nacelles and propellers, one at the nose
    expect(at('underwing-pods', 4, 'turbofan')).toHaveLength(4);
    expect(at('rear-fuselage', 2, 'turbofan')).toHaveLength(2);
    expect(at('tail', 3, 'turbofan')).toHaveLength(3);
    expect(at('underwing-and-tail', 3, 'turbofan')).toHaveLength(3);
    expect(at('none', 1, 'piston')).toHaveLength(0);
    // The shape field's count wins over the spec sheet's (B-36: six pistons and four jets).
    const b36 = planform(base({ wingspanM: 70, lengthM: 49, planform: { wing: 'tapered', tail: 'conventional', engineLayout: 'wing', engineCount: 10 }, engines: { type: 'piston', count: 6 } }));
    expect(shapes(b36.engines)).toHaveLength(20);
    // Engine pods sit left and right in mirror image.
    const pods = at('underwing-pods', 2, 'turbofan').map((s) => (extent(s).width > 0 ? s.reduce((sum, [x]) => sum + x, 0) / s.length : 0));
    near(pods[0] ?? Number.NaN, -(pods[1] ?? 0));
  });

  it('estimates a missing figure from the other and says so', () => {
    const noLength = base({ wingspanM: 11, planform: { wing: 'straight', tail: 'conventional', engineLayout: 'nose' } });
    expect(dimensions(noLength)).toEqual({ span: 11, length: 11 * 0.75, scale: 'length-estimated' });
    expect(dimensions(base({ lengthM: 17, planform: { wing: 'delta', tail: 'tailless', engineLayout: 'fuselage' } }))).toEqual({ span: 10, length: 17, scale: 'span-estimated' });
    expect(dimensions(base({ planform: { wing: 'swept', tail: 'conventional', engineLayout: 'fuselage' } })).scale).toBe('nominal');
    expect(planformLabel('Cessna 172', planform(noLength), false)).toBe('Top view of the Cessna 172: span 11 m to scale; length not known, drawn from a typical proportion.');
    expect(planformCaption(noLength)).toBe('Top view: the span is to scale; the length is not known and is drawn from a typical proportion.');
    expect(planformCaption(record('bell-uh-1h-iroquois'))).toMatch(/^Top view to scale from the rotor diameter and length above/);
    expect(planformCaption(record('goodyear-gz-20'))).toMatch(/^Top view to scale from the length above; the hull is drawn a fifth as wide/);
    expect(planformLabel('Boeing 747-400', planform(record('boeing-747-400')), false)).toBe('Top view of the Boeing 747-400 to scale: span 64.4 m, length 70.7 m.');
  });

  it('picks a 1-2-5 scale bar that fits', () => {
    expect(scaleBarM(70, 0.45)).toBe(20);
    expect(scaleBarM(11, 0.45)).toBe(2);
    expect(scaleBarM(250, 0.45)).toBe(100);
    expect(scaleBarM(8, 0.5)).toBe(2);
  });

  it('draws every record in data/ with finite, compact paths inside its view box', () => {
    const files = readdirSync(DATA).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(500);
    for (const f of files) {
      const a = record(f.replace(/\.json$/, ''));
      const p = planform(a);
      const all = [p.body, p.engines, p.rotor].join('');
      expect(all, f).not.toMatch(/NaN|Infinity/);
      expect(all.length, f).toBeLessThan(2_000);
      const [x, y, w, h] = p.viewBox;
      for (const [px, py] of shapes(p.body).flat()) {
        expect(px, f).toBeGreaterThanOrEqual(x);
        expect(px, f).toBeLessThanOrEqual(x + w);
        expect(py, f).toBeGreaterThanOrEqual(y);
        expect(py, f).toBeLessThanOrEqual(y + h);
      }
    }
  });
});
