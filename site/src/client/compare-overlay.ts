import type { PlanformJson } from '../lib/planform.ts';

/**
 * The compare page's overlay: every chosen aircraft's top view on one origin (centreline,
 * mid-length) at true relative scale, largest first so smaller ones stay visible on top, each in
 * its own colour (classes ov0–ov3 in hud.css), with a metre scale bar and a 1.8 m person.
 * Pure string building, so it is unit-tested without a browser.
 */
export interface OverlayItem {
  slug: string;
  name: string;
  planform: PlanformJson;
}

/** Half a person 1.8 m tall seen from the front, feet on y = 0 (metres): neck, arm, side, leg. */
const PERSON_HALF: [number, number][] = [[0.07, -1.55], [0.23, -1.5], [0.28, -0.8], [0.19, -0.8], [0.16, -1.25], [0.16, -0.85], [0.15, 0], [0.03, 0], [0, -0.8]];
/** The whole figure: a 0.12 m head on a mirrored body, 1.8 m from feet to crown. */
export const PERSON_PATH = `M${[...PERSON_HALF, ...PERSON_HALF.slice(0, -1).reverse().map(([x, y]) => [-x, y] as const)]
  .map(([x, y]) => `${x} ${y}`)
  .join('L')}ZM-.12-1.68a.12.12 0 1 0 .24 0a.12.12 0 1 0-.24 0Z`;
export const PERSON_HEIGHT_M = 1.8;

const r1 = (v: number) => Math.round(v * 10) / 10;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The longest 1-2-5 length in metres that fits in `fraction` of `widthM`. */
export function niceBar(widthM: number, fraction = 0.3): number {
  const target = widthM * fraction;
  const decade = 10 ** Math.floor(Math.log10(target));
  return [5, 2, 1].map((k) => k * decade).find((v) => v <= target) ?? decade;
}

/** What the legend says about an aircraft whose drawing is not wholly its own figures. */
export const SCALE_NOTES: Record<PlanformJson['scale'], string> = {
  true: '',
  'length-estimated': ' (length estimated)',
  'span-estimated': ' (span estimated)',
  nominal: ' (no dimensions: not drawn)',
};

/** The overlay SVG for the aircraft that have at least one real dimension; empty when none has. */
export function overlaySvg(items: OverlayItem[]): string {
  const drawn = items.map((item, colour) => ({ ...item, colour })).filter((i) => i.planform.scale !== 'nominal');
  if (drawn.length === 0) return '';
  // One view box around every drawing, symmetric about the centreline.
  let half = 0;
  let top = 0;
  let bottom = 0;
  for (const { planform: p } of drawn) {
    const [x, y, w, h] = p.viewBox;
    half = Math.max(half, -x, x + w);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y + h);
  }
  const width = 2 * half;
  const font = r1(0.035 * Math.max(width, bottom - top));
  // Room under the drawings for the bar and the person, whose feet stand on the bar's line.
  const band = Math.max(3 * font, 2.4);
  const bar = niceBar(width);
  const left = -half + font * 0.5;
  const base = bottom + band * 0.8;
  const person = r1(half - 0.4);
  const area = (p: PlanformJson) => p.spanM * p.lengthM;
  const shapes = [...drawn]
    .sort((a, b) => area(b.planform) - area(a.planform))
    .map(({ planform: p, colour, slug }) => {
      const dashed = p.scale === 'true' ? '' : ' stroke-dasharray="6 4"';
      return `<g class="ov${colour}" data-slug="${esc(slug)}">${[p.rotor, p.body, p.engines]
        .filter(Boolean)
        .map((d) => `<path d="${d}" vector-effect="non-scaling-stroke"${dashed}/>`)
        .join('')}</g>`;
    })
    .join('');
  const names = drawn.map((i) => i.name).join(', ');
  return (
    `<svg class="overlay" viewBox="${r1(-half)} ${r1(top)} ${r1(width)} ${r1(bottom - top + band)}" role="img" aria-labelledby="overlay-title">` +
    `<title id="overlay-title">Top views to scale, on one centre: ${esc(names)}; a ${bar} m bar and a ${PERSON_HEIGHT_M} m person for size</title>` +
    shapes +
    `<g class="ov-scale"><path d="M${r1(left)} ${r1(base)}h${bar}" vector-effect="non-scaling-stroke"/>` +
    `<text x="${r1(left)}" y="${r1(base - font * 0.5)}" font-size="${font}">${bar} m</text>` +
    `<path class="person" d="${PERSON_PATH}" transform="translate(${person} ${r1(base)})"/>` +
    `<text x="${r1(person - 0.5)}" y="${r1(base)}" font-size="${font}" text-anchor="end">${PERSON_HEIGHT_M} m person</text></g></svg>`
  );
}

/** The legend: each aircraft's colour, name and span × length (or why it is not drawn). */
export function overlayLegend(items: OverlayItem[]): string {
  const m = (v: number) => `${v.toLocaleString('en-GB', { maximumFractionDigits: 1 })} m`;
  return items
    .map(({ name, planform: p }, colour) => {
      const size = p.scale === 'nominal' ? '' : ` — ${m(p.spanM)} × ${m(p.lengthM)}`;
      return `<li><span class="swatch ov${colour}" aria-hidden="true"></span>${esc(name)}${size}${SCALE_NOTES[p.scale]}</li>`;
    })
    .join('');
}
