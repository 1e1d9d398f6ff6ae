import { describe, expect, it } from 'vitest';
import { planform, type PlanformInput } from '../lib/planform.ts';
import { niceBar, overlayLegend, overlaySvg, PERSON_PATH, type OverlayItem } from './compare-overlay.ts';

const item = (slug: string, over: Omit<PlanformInput, 'name'>): OverlayItem => {
  const { body, engines, rotor, spanM, lengthM, scale, viewBox } = planform({ name: slug, ...over });
  return { slug, name: slug.toUpperCase(), planform: { body, engines, rotor, spanM, lengthM, scale, viewBox } };
};
const a380 = item('a380', { wingspanM: 79.75, lengthM: 72.72, planform: { wing: 'swept', sweepDeg: 35, tail: 'conventional', engineLayout: 'underwing-pods' }, engines: { type: 'turbofan', count: 4 } });
const concorde = item('concorde', { wingspanM: 25.6, lengthM: 61.66, planform: { wing: 'delta', sweepDeg: 60, tail: 'tailless', engineLayout: 'underwing-pods' }, engines: { type: 'turbojet', count: 4 } });
const cub = item('cub', { wingspanM: 10.7, planform: { wing: 'straight', tail: 'conventional', engineLayout: 'nose' }, engines: { type: 'piston', count: 1 } });
const unknown = item('unknown', { planform: { wing: 'swept', tail: 'conventional', engineLayout: 'fuselage' } });

const viewBox = (svg: string) => (/viewBox="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number);

describe('the compare overlay', () => {
  it('draws every aircraft in one view box in metres wide enough for the largest, largest first', () => {
    const svg = overlaySvg([concorde, a380]);
    const [x, , w] = viewBox(svg);
    expect(x).toBeLessThanOrEqual(-79.75 / 2);
    expect((x ?? 0) + (w ?? 0)).toBeGreaterThanOrEqual(79.75 / 2);
    // The A380 is drawn first (underneath); colours follow the chosen order, not the drawing order.
    expect(svg.indexOf('data-slug="a380"')).toBeLessThan(svg.indexOf('data-slug="concorde"'));
    expect(svg).toContain('<g class="ov1" data-slug="a380">');
    expect(svg).toContain('<g class="ov0" data-slug="concorde">');
    // The paths are the planforms' own, untransformed: one origin, one scale.
    expect(svg).toContain(`d="${a380.planform.body}"`);
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="overlay-title">Top views to scale, on one centre: CONCORDE, A380; a 20 m bar and a 1.8 m person for size<\/title>/);
  });

  it('adds a 1.8 m person and a metre bar', () => {
    expect(PERSON_PATH).toContain('M0.07 -1.55');
    const svg = overlaySvg([cub]);
    expect(svg).toContain(`d="${PERSON_PATH}"`);
    expect(svg).toContain('1.8 m person');
    expect(svg).toMatch(/h2" vector-effect/); // a 2 m bar for a 10.7 m span
    expect(niceBar(80)).toBe(20);
    expect(niceBar(10.7)).toBe(2);
  });

  it('dashes an estimated drawing, leaves out one with no dimensions, and says so in the legend', () => {
    const svg = overlaySvg([cub, unknown]);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).not.toContain('data-slug="unknown"');
    const legend = overlayLegend([cub, unknown]);
    expect(legend).toContain('CUB — 10.7 m × 8 m (length estimated)');
    expect(legend).toContain('UNKNOWN (no dimensions: not drawn)');
    expect(legend).toContain('swatch ov1');
    expect(overlaySvg([unknown])).toBe('');
  });
});
