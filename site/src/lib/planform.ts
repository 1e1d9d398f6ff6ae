import type { Aircraft } from '@hangarstack/shared';
import { formatNumber } from './units.ts';

/**
 * The planform (top view) of an aircraft, drawn to scale from its own figures: SVG path data in
 * metres, x across the span (0 on the centreline), y along the length (nose up, 0 at mid-length),
 * so every drawing shares one origin and overlays at true relative scale. Pure and build-time
 * only; the page inlines the paths, the compare page composes them from /aircraft/<slug>.json.
 *
 * The shape fields (`planform`) are drawing hints, not published figures: chords, fuselage width,
 * tail size and engine positions are typical proportions of the kind, scaled by the record's span
 * and length. A missing span or length is estimated from the other with a typical ratio for the
 * wing kind and the drawing says so; with neither, the shape is drawn at a nominal size and is
 * marked as not to scale.
 */
export type PlanformInput = Pick<Aircraft, 'name' | 'planform' | 'lengthM' | 'wingspanM' | 'rotorDiameterM' | 'engines'>;

/** Which of the drawing's two dimensions are the record's own figures. */
export type Scale = 'true' | 'span-estimated' | 'length-estimated' | 'nominal';

export interface Planform {
  /** Airframe outline: fuselage or hull, wing, tail surfaces (one path, several closed shapes). */
  body: string;
  /** Engines, nacelles and propellers. Empty when nothing is drawn for them. */
  engines: string;
  /** The rotor disc (helicopters), else empty. */
  rotor: string;
  /** Drawn span (or rotor diameter, or hull diameter) and length, metres. */
  spanM: number;
  lengthM: number;
  scale: Scale;
  /** `minX minY width height` in metres, a small margin around everything drawn. */
  viewBox: [number, number, number, number];
}

/** Length over span (or rotor diameter) of a typical aircraft of each wing kind, to estimate a missing one. */
const LENGTH_PER_SPAN = { straight: 0.75, tapered: 0.8, swept: 1.1, delta: 1.7, 'variable-sweep': 1.2, rotor: 1.15, envelope: 1 } as const;
/** Length over diameter of an airship hull (Zeppelin NT 5.3, LZ 129 6.0, Goodyear blimps 4.2). */
export const AIRSHIP_FINENESS = 5;
/** Span drawn when a record has neither span nor length: shape only, not to scale. */
const NOMINAL_SPAN = 10;
const DEFAULT_SWEEP = { swept: 35, delta: 55 } as const;

type Pt = [number, number];
/**
 * `v` to 0.1 m, without a trailing `.0` or a `-0`: the same string as `toFixed(1)` with those cut
 * (for every |v| < 1e20), at a fifth of the cost: the shortest form of the double nearest k/10 is
 * k/10 itself, and String(-0) is "0". ~40 coordinates per drawing made this 15-20 % of planform().
 */
const r1 = (v: number): string => String(Math.round(v * 10) / 10);
/** A closed polygon, coordinates to 0.1 m (the page budget: an aircraft page ≤ 14 KB brotli). */
export const poly = (pts: Pt[]): string => `M${pts.map(([x, y]) => `${r1(x)} ${r1(y)}`).join('L')}Z`;
/** The polygon and its mirror image across the centreline. */
const mirrored = (pts: Pt[]): string => poly(pts) + poly(pts.map(([x, y]) => [-x, y] as Pt).reverse());
/** A circle as two arcs (SVG paths have no circle command). */
export const circle = (cx: number, cy: number, r: number): string =>
  `M${r1(cx - r)} ${r1(cy)}a${r1(r)} ${r1(r)} 0 1 0 ${r1(2 * r)} 0a${r1(r)} ${r1(r)} 0 1 0 ${r1(-2 * r)} 0Z`;
const rect = (cx: number, cy: number, w: number, h: number): string =>
  poly([[cx - w / 2, cy - h / 2], [cx + w / 2, cy - h / 2], [cx + w / 2, cy + h / 2], [cx - w / 2, cy + h / 2]]);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const tan = (deg: number) => Math.tan((deg * Math.PI) / 180);

/** Span and length to draw, and how much of that is the record's own. */
export function dimensions(a: PlanformInput): { span: number; length: number; scale: Scale } {
  const kind = a.planform.wing;
  const ratio = LENGTH_PER_SPAN[kind];
  const ownSpan = kind === 'rotor' ? a.rotorDiameterM : kind === 'envelope' ? undefined : a.wingspanM;
  if (kind === 'envelope') {
    return a.lengthM === undefined
      ? { span: NOMINAL_SPAN / AIRSHIP_FINENESS, length: NOMINAL_SPAN, scale: 'nominal' }
      : { span: a.lengthM / AIRSHIP_FINENESS, length: a.lengthM, scale: 'true' };
  }
  if (ownSpan !== undefined && a.lengthM !== undefined) return { span: ownSpan, length: a.lengthM, scale: 'true' };
  if (ownSpan !== undefined) return { span: ownSpan, length: ownSpan * ratio, scale: 'length-estimated' };
  if (a.lengthM !== undefined) return { span: a.lengthM / ratio, length: a.lengthM, scale: 'span-estimated' };
  return { span: NOMINAL_SPAN, length: NOMINAL_SPAN * ratio, scale: 'nominal' };
}

/** One half-wing: leading-edge y at the root (centreline), sweep of the leading edge, chords. */
interface Wing {
  delta: boolean;
  apex: number;
  half: number;
  sweep: number;
  rootChord: number;
  tipChord: number;
}
const leadingEdge = (w: Wing, x: number) => w.apex + Math.abs(x) * tan(w.sweep);
const chordAt = (w: Wing, x: number) => w.rootChord + ((w.tipChord - w.rootChord) * Math.abs(x)) / w.half;
const halfWing = (w: Wing): Pt[] => [
  [0, w.apex],
  [w.half, leadingEdge(w, w.half)],
  [w.half, leadingEdge(w, w.half) + w.tipChord],
  [0, w.apex + w.rootChord],
];

function wingFor(a: PlanformInput, span: number, length: number): Wing {
  const kind = a.planform.wing;
  const half = span / 2;
  const nose = -length / 2;
  const tail = length / 2;
  const tailless = a.planform.tail === 'tailless';
  if (kind === 'straight') return { delta: false, apex: nose + 0.25 * length, half, sweep: 0, rootChord: span / 7, tipChord: span / 7 };
  if (kind === 'tapered') return { delta: false, apex: nose + 0.27 * length, half, sweep: 2, rootChord: span / 5.5, tipChord: span / 11 };
  if (kind === 'delta') {
    // A delta's trailing edge runs across the back of the aircraft; its sweep decides the root chord.
    let sweep = a.planform.sweepDeg ?? DEFAULT_SWEEP.delta;
    const tipChord = 0.04 * span;
    // A tailed delta (MiG-21, Skyhawk-like conventional tails) leaves room for its tailplane behind the wing.
    const tailed = ['conventional', 't-tail', 'cruciform', 'v-tail'].includes(a.planform.tail);
    const trailing = tail - (tailed ? 0.17 : 0.05) * length;
    // Never longer than the aircraft: a short, wide delta is drawn with the sweep that fits.
    const room = trailing - (nose + 0.12 * length) - tipChord;
    if (half * tan(sweep) > room) sweep = (Math.atan(room / half) * 180) / Math.PI;
    const rootChord = half * tan(sweep) + tipChord;
    return { delta: true, apex: trailing - rootChord, half, sweep, rootChord, tipChord };
  }
  // Swept and variable-sweep (drawn spread: the glove is added by the caller).
  let sweep = kind === 'variable-sweep' ? 20 : (a.planform.sweepDeg ?? DEFAULT_SWEEP.swept);
  const rootChord = 0.2 * span;
  const tipChord = 0.06 * span;
  // Tailless (flying wings, B-2) start near the nose; others sit a little ahead of mid-length.
  let apex = tailless ? nose + 0.05 * length : nose + 0.36 * length;
  const reach = () => half * tan(sweep) + tipChord;
  if (apex + reach() > tail) apex = Math.max(nose + 0.02 * length, tail - reach());
  if (apex + reach() > tail) sweep = (Math.atan((tail - apex - tipChord) / half) * 180) / Math.PI;
  return { delta: false, apex, half, sweep, rootChord: Math.min(rootChord, tail - apex), tipChord };
}

/** The planform of one record, ready to draw. */
export function planform(a: PlanformInput): Planform {
  const { span, length, scale } = dimensions(a);
  const kind = a.planform.wing;
  const parts =
    kind === 'rotor' ? helicopter(a, span, length) : kind === 'envelope' ? airship(a, span, length) : fixedWing(a, span, length);
  const margin = 0.04 * Math.max(parts.extent.width, parts.extent.bottom - parts.extent.top);
  const width = parts.extent.width + 2 * margin;
  return {
    body: parts.body,
    engines: parts.engines,
    rotor: parts.rotor,
    spanM: span,
    lengthM: length,
    scale,
    viewBox: [-width / 2, parts.extent.top - margin, width, parts.extent.bottom - parts.extent.top + 2 * margin].map((v) => Math.round(v * 10) / 10) as Planform['viewBox'],
  };
}

interface Parts {
  body: string;
  engines: string;
  rotor: string;
  extent: { width: number; top: number; bottom: number };
}

/** Fuselage outline: a rounded nose, a parallel section and a tail cone. */
function fuselage(length: number, width: number, noseAt = -length / 2): Pt[] {
  const w = width / 2;
  const n = noseAt;
  const t = noseAt + length;
  const noseLen = Math.min(2.5 * width, 0.18 * length);
  return [
    [0, n],
    [0.55 * w, n + 0.25 * noseLen],
    [0.9 * w, n + 0.6 * noseLen],
    [w, n + noseLen],
    [w, t - 0.3 * length],
    [0.25 * w, t],
    [-0.25 * w, t],
    [-w, t - 0.3 * length],
    [-w, n + noseLen],
    [-0.9 * w, n + 0.6 * noseLen],
    [-0.55 * w, n + 0.25 * noseLen],
  ];
}

const fuselageWidth = (length: number) => clamp(0.1 * length, 0.6, 7.2);
const PROPS = new Set(['piston', 'turboprop', 'electric', 'propfan']);

function fixedWing(a: PlanformInput, span: number, length: number): Parts {
  const p = a.planform;
  const f = fuselageWidth(length);
  const w = wingFor(a, span, length);
  const tail = length / 2;
  const shapes = [poly(fuselage(length, f)), mirrored(halfWing(w))];
  if (p.wing === 'variable-sweep') {
    // The fixed glove ahead of the pivots, from which the spread outer wing swings.
    shapes.push(mirrored([[0, w.apex - 0.12 * length], [0.16 * span, w.apex], [0.16 * span, w.apex + 0.6 * w.rootChord], [0, w.apex + w.rootChord]]));
  }
  shapes.push(...tailSurfaces(p.tail, span, length, f, w));
  const engines = engineShapes(a, span, length, f, w);
  // Canards, tails and pods may reach wider than the wing on odd records; the view box follows them.
  return { body: shapes.join(''), engines, rotor: '', extent: { width: span, top: -length / 2, bottom: tail } };
}

/** Tailplane, fins off the centreline, foreplane. Fins on the centreline hide behind the fuselage from above. */
function tailSurfaces(kind: PlanformInput['planform']['tail'], span: number, length: number, f: number, wing: Wing): string[] {
  const tail = length / 2;
  const halfSpan = Math.min(0.6 * span, Math.max(0.33 * span, 0.33 * length)) / 2;
  const root = 0.12 * length;
  const plane = (back: number, half: number, sweep: number): string => {
    // A wide tailplane on a short aircraft sweeps less, so its tips stay within the length.
    const run = half * Math.min(tan(sweep), (0.55 * root + (length / 2 - back)) / half);
    return mirrored([[0, back - root], [half, back - root + run], [half, back - root + run + 0.45 * root], [0, back]]);
  };
  const fin = (x: number) => {
    const c = 0.14 * length;
    return mirrored([[x - 0.12, tail - 0.02 * length - c], [x + 0.12, tail - 0.02 * length - c], [x + 0.12, tail - 0.02 * length], [x - 0.12, tail - 0.02 * length]]);
  };
  switch (kind) {
    case 'tailless':
      return [];
    case 'canard': {
      // Close-coupled just ahead of the wing (Rafale, Gripen), never into the nose (Wright Flyer, Long-EZ).
      const back = Math.max(-tail + 0.16 * length, wing.apex + 0.05 * wing.rootChord);
      const c = Math.min(0.14 * length, 0.4 * wing.rootChord + 0.02 * length);
      const half = 0.2 * span;
      return [mirrored([[0, back - c], [half, back - c + 0.5 * half], [half, back - c + 0.5 * half + 0.35 * c], [0, back]])];
    }
    case 'v-tail':
      // Seen from above, a V's two surfaces project to a narrower tailplane (about 35° dihedral).
      return [plane(tail, 0.82 * halfSpan, 30)];
    case 'twin-fin':
      // A twin-finned delta has no tailplane: its wing reaches the tail.
      return [...(wing.delta ? [] : [plane(tail - 0.02 * length, halfSpan, 25)]), fin(Math.max(f / 2, 0.55 * halfSpan))];
    case 't-tail':
      return [plane(tail, halfSpan, 30)];
    case 'cruciform':
      return [plane(tail - 0.01 * length, halfSpan, 25)];
    case 'conventional':
      return [plane(tail - 0.02 * length, halfSpan, 20)];
  }
}

/** How many engines to draw: the shape field wins, then the spec sheet. */
const engineCount = (a: PlanformInput) => (a.planform.engineLayout === 'none' ? 0 : (a.planform.engineCount ?? a.engines?.count ?? 1));

function engineShapes(a: PlanformInput, span: number, length: number, f: number, w: Wing): string {
  const n = engineCount(a);
  const props = PROPS.has(a.engines?.type ?? 'piston');
  const nose = -length / 2;
  const tail = length / 2;
  const out: string[] = [];
  const propeller = (x: number, y: number, d: number) => rect(x, y, d, Math.max(0.12, 0.03 * d));
  const onWing = (count: number, pods: boolean) => {
    const perSide = Math.ceil(count / 2);
    const step = Math.min(0.27, 0.62 / perSide);
    const width = Math.min(pods ? clamp(0.055 * span, 0.5, 3.9) : clamp(0.035 * span, 0.6, 2.2), step * w.half * 0.8);
    for (let i = 0; i < perSide; i++) {
      const x = w.half * ((pods ? 0.34 : 0.26) + step * i);
      const le = leadingEdge(w, x);
      const len = pods ? 2.4 * width : 0.6 * chordAt(w, x) + 1.5 * width;
      const front = pods ? le - 0.55 * len : le - 1.5 * width;
      // An odd count puts the last engine on the centreline (trimotors): drawn at the nose below.
      const sides = count % 2 === 1 && i === perSide - 1 ? [] : [x, -x];
      for (const sx of sides) {
        out.push(rect(sx, front + len / 2, width, len));
        if (props && !pods) out.push(propeller(sx, front - 0.1, clamp(0.1 * span, 1.6, 4.5)));
      }
    }
  };
  switch (a.planform.engineLayout) {
    case 'none':
      break;
    case 'nose':
      if (props) out.push(propeller(0, nose - 0.1, clamp(0.24 * length, 1.4, 4.2)));
      if (n > 1) onWing(n - 1, false);
      break;
    case 'wing':
      onWing(n, false);
      if (n % 2 === 1 && props) out.push(propeller(0, nose - 0.1, clamp(0.1 * span, 1.6, 4.5)));
      break;
    case 'underwing-pods':
      onWing(n, true);
      break;
    case 'underwing-and-tail':
      onWing(n - 1, true);
      out.push(rect(0, tail - 0.14 * length, 1.3 * f * 0.6, 0.12 * length));
      break;
    case 'tail':
    case 'rear-fuselage': {
      const centre = a.planform.engineLayout === 'tail' ? n % 2 : 0;
      const pairs = Math.floor((n - centre) / 2);
      const pod = clamp(0.045 * length, 0.5, 2.4);
      if (props && n <= 2 && a.planform.engineLayout === 'rear-fuselage') {
        // Pushers (Predator, TB2, Piaggio Avanti): propellers behind the tail cone or the wing.
        if (n === 1) out.push(propeller(0, tail + 0.1, clamp(0.2 * length, 1.2, 4)));
        else for (const x of [0.3 * w.half, -0.3 * w.half]) out.push(propeller(x, leadingEdge(w, x) + chordAt(w, x) + 0.2, clamp(0.1 * span, 1.6, 4.5)));
        break;
      }
      for (let i = 0; i < pairs; i++) {
        const y = tail - 0.2 * length - i * 1.3 * 2.4 * pod;
        for (const x of [f / 2 + 0.6 * pod, -(f / 2 + 0.6 * pod)]) out.push(rect(x, y, pod, 2.4 * pod));
      }
      if (centre || (a.planform.engineLayout === 'rear-fuselage' && (n - 2 * pairs) === 1)) out.push(rect(0, tail - 0.16 * length, 1.1 * pod, 2.4 * pod));
      break;
    }
    case 'fuselage': {
      // Engines inside the fuselage show from above as their exhausts at the tail.
      const r = Math.min(0.16 * f, (0.9 * f) / (2 * Math.max(n, 1)));
      for (let i = 0; i < Math.min(n, 4); i++) out.push(circle((i - (Math.min(n, 4) - 1) / 2) * 2.2 * r, tail - 0.1 * length, r));
      break;
    }
  }
  return out.join('');
}

function helicopter(a: PlanformInput, rotorD: number, length: number): Parts {
  const r = rotorD / 2;
  const nose = -length / 2;
  const mast = nose + 0.3 * length;
  const cabin = clamp(0.16 * length, 0.8, 4.5);
  // A cabin pod and a slim tail boom with a small stabiliser; the tail rotor is edge-on from above.
  const pod: Pt[] = [
    [0, nose],
    [0.4 * cabin, nose + 0.05 * length],
    [0.5 * cabin, nose + 0.15 * length],
    [0.5 * cabin, nose + 0.45 * length],
    [0.12 * cabin, nose + 0.55 * length],
    [0.06 * cabin, nose + length],
    [-0.06 * cabin, nose + length],
    [-0.12 * cabin, nose + 0.55 * length],
    [-0.5 * cabin, nose + 0.45 * length],
    [-0.5 * cabin, nose + 0.15 * length],
    [-0.4 * cabin, nose + 0.05 * length],
  ];
  const stab = rect(0, nose + 0.86 * length, 0.5 * cabin + 0.1 * length, 0.04 * length);
  // Its disc is vertical, so from above it is a line beside the end of the boom, within the length.
  const tailRotor = rect(0.06 * cabin + 0.05, nose + length - 0.1 * Math.min(rotorD, length), 0.1, 0.17 * Math.min(rotorD, length));
  const n = engineCount(a);
  const eng = [...Array(Math.min(n, 3)).keys()].map((i) => rect((i - (Math.min(n, 3) - 1) / 2) * 0.3 * cabin, mast + 0.1 * length, 0.22 * cabin, 0.14 * length));
  const top = Math.min(nose, mast - r);
  const bottom = Math.max(length / 2, mast + r);
  return { body: poly(pod) + stab + tailRotor, engines: eng.join(''), rotor: circle(0, mast, r), extent: { width: Math.max(rotorD, cabin), top, bottom } };
}

function airship(a: PlanformInput, diameter: number, length: number): Parts {
  const h = diameter / 2;
  const nose = -length / 2;
  const at = (t: number) => nose + t * length;
  // Widest at 40 % of the length, rounding off at the nose, tapering to a point at the tail.
  const half: [number, number][] = [[0, 0], [0.45, 0.03], [0.75, 0.09], [0.93, 0.2], [1, 0.4], [0.95, 0.6], [0.78, 0.78], [0.45, 0.93], [0.1, 1]];
  const hull: Pt[] = [...half.map(([x, t]) => [x * h, at(t)] as Pt), ...half.slice(1).reverse().map(([x, t]) => [-x * h, at(t)] as Pt)];
  const fin = mirrored([[0.6 * h, at(0.8)], [1.45 * h, at(0.9)], [1.45 * h, at(0.97)], [0.3 * h, at(0.96)]]);
  const n = engineCount(a);
  const cars = [...Array(Math.min(n, 8)).keys()].map((i) => {
    const side = i % 2 === 0 ? 1 : -1;
    return rect(side * 1.08 * h, at(0.35 + 0.12 * Math.floor(i / 2)), 0.12 * h, 0.06 * length);
  });
  return { body: poly(hull) + fin, engines: cars.join(''), rotor: '', extent: { width: 2.9 * h, top: nose, bottom: length / 2 } };
}

/**
 * One record's planform for both its uses in a build: the page draws it (`sharedPlanform`), then
 * its JSON sheet carries it (`takePlanform`, which lets go of it). A full build used to compute
 * every planform twice. Kept per record object, so a changed record (a new object) is drawn
 * afresh; a record whose sheet is never made (a popularity-only rebuild renders pages only) keeps
 * its drawing while its catalogue lives.
 */
const drawn = new WeakMap<PlanformInput, Planform>();
export function sharedPlanform(a: PlanformInput): Planform {
  let p = drawn.get(a);
  if (!p) {
    p = planform(a);
    drawn.set(a, p);
  }
  return p;
}
export function takePlanform(a: PlanformInput): Planform {
  const p = drawn.get(a) ?? planform(a);
  drawn.delete(a);
  return p;
}

/** A one-line description for screen readers: the aircraft and its span and length. */
export function planformLabel(name: string, p: Pick<Planform, 'spanM' | 'lengthM' | 'scale'>, rotor: boolean, airship = false): string {
  const m = (v: number) => `${formatNumber(v, 1)} m`;
  const across = airship ? 'diameter' : rotor ? 'rotor diameter' : 'span';
  switch (p.scale) {
    case 'true':
      return airship
        ? `Top view of the ${name} to scale: length ${m(p.lengthM)}, hull diameter drawn as about a fifth of it.`
        : `Top view of the ${name} to scale: ${across} ${m(p.spanM)}, length ${m(p.lengthM)}.`;
    case 'length-estimated':
      return `Top view of the ${name}: ${across} ${m(p.spanM)} to scale; length not known, drawn from a typical proportion.`;
    case 'span-estimated':
      return `Top view of the ${name}: length ${m(p.lengthM)} to scale; ${across} not known, drawn from a typical proportion.`;
    case 'nominal':
      return `Top view of the ${name}: shape only, not to scale (no span or length in this record).`;
  }
}

/** The longest 1-2-5 length in metres that fits in `fraction` of `widthM`, for a scale bar. */
export function scaleBarM(widthM: number, fraction = 0.4): number {
  const target = widthM * fraction;
  const decade = 10 ** Math.floor(Math.log10(target));
  return [5, 2, 1].map((k) => k * decade).find((v) => v <= target) ?? decade;
}

/** Everything the compare page needs to overlay one aircraft, as /aircraft/<slug>.json carries it. */
export type PlanformJson = Pick<Planform, 'body' | 'engines' | 'rotor' | 'spanM' | 'lengthM' | 'scale' | 'viewBox'>;

/** What the caption under a planform says about its scale: which figures it is drawn from, which are estimated. */
export function planformCaption(a: PlanformInput): string {
  const { scale } = dimensions(a);
  const wing = a.planform.wing;
  if (wing === 'envelope') {
    return scale === 'true'
      ? 'Top view to scale from the length above; the hull is drawn a fifth as wide as it is long, fins and engine cars typical of the layout.'
      : 'Top view of the layout, not to scale: this record has no length yet.';
  }
  const across = wing === 'rotor' ? 'rotor diameter' : 'span';
  switch (scale) {
    case 'true':
      return `Top view to scale from the ${across} and length above; ${wing === 'rotor' ? 'cabin, boom' : 'wing, tail'} and engine shapes are typical of the layout.`;
    case 'length-estimated':
      return `Top view: the ${across} is to scale; the length is not known and is drawn from a typical proportion.`;
    case 'span-estimated':
      return `Top view: the length is to scale; the ${across} is not known and is drawn from a typical proportion.`;
    case 'nominal':
      return `Top view of the layout, not to scale: this record has no ${across} or length yet.`;
  }
}
