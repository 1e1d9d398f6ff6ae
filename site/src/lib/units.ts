/**
 * Display formatting for spec figures in both unit systems. Pages render both and CSS shows
 * the visitor's choice, so the toggle needs no re-render and works before scripts load.
 */
export interface Figure {
  metric: string;
  imperial: string;
}

// One formatter per precision: toLocaleString builds a new Intl.NumberFormat on every call, which
// was 6 % of a full build's CPU (about ten figures per page, twice: page and JSON), and the
// planform's label alone was 1 s of a 10k build's render thread. Every figure a page shows goes
// through this, never toLocaleString.
const formats = new Map<number, Intl.NumberFormat>();
const intlFormat = (value: number, digits: number): string => {
  let format = formats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits });
    formats.set(digits, format);
  }
  return format.format(value);
};

// Even cached, Intl's format() was the hottest site function of a full build's render thread:
// ~100 ms self time per 1,000 pages, ~1 µs a call. formatFast gives the same text for every figure
// pages show in an eighth of that; Intl stays the reference and answers everything else (NaN,
// ±Infinity, huge values, other precisions), and units.test.ts checks the two agree on hundreds of
// thousands of values.
//
// Intl rounds the shortest round-trip decimal D of a value (what String() prints) half away from
// zero. D and the value differ by at most half an ulp, so scaled = |value| * 10^digits is within
// scaled * 2^-52 of D * 10^digits: below 2^40 that is under 2^-12, so wherever scaled's fraction
// is further than TIE_MARGIN from .5 both round the same way. Nearer a tie, D's digit decides.
// (Rounding String()'s digits every time was tried: String() alone costs ~200 ns, 1.1 µs became 0.7.)
const SCALES: readonly number[] = [1, 10, 100, 1000]; // 10^digits for the precisions callers use, exact doubles
const MAX_SCALED = 2 ** 40;
const TIE_MARGIN = 2 ** -10;

/** formatNumber's text without Intl, or undefined for what it leaves to Intl (NaN, ±Infinity, huge values, other digits). */
export const formatFast = (value: number, digits: number): string | undefined => {
  const scale = SCALES[digits];
  if (scale === undefined) return undefined;
  const scaled = Math.abs(value) * scale;
  if (!(scaled < MAX_SCALED)) return undefined;
  let units = Math.floor(scaled); // the value in 10^-digits, rounded below
  const rest = scaled - units; // exact: scaled < 2^52
  let roundUp = rest > 0.5;
  if (Math.abs(rest - 0.5) < TIE_MARGIN) {
    const decimal = String(Math.abs(value)); // D: plain digits, as |value| >= 0.499 / 10^digits
    const point = decimal.indexOf('.');
    roundUp = point >= 0 && decimal.charCodeAt(point + 1 + digits) >= 48 + 5; // its next digit is 5-9
  }
  if (roundUp) units++;
  let shown = digits; // maximumFractionDigits: trailing zeros of the fraction go
  while (shown > 0 && units % 10 === 0) {
    units /= 10;
    shown--;
  }
  const unit = SCALES[shown] ?? 1;
  let whole = Math.floor(units / unit); // exact: integers below 2^41
  const fraction = shown === 0 ? '' : `.${String(units - whole * unit).padStart(shown, '0')}`;
  let grouped = ''; // en-GB: a comma before every three digits
  while (whole >= 1000) {
    const low = whole % 1000;
    grouped = `,${String(1000 + low).slice(1)}${grouped}`;
    whole = (whole - low) / 1000;
  }
  // Intl shows the sign of every negative value, even -0 and those that round to 0.
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${whole}${grouped}${fraction}`;
};

/** `value` as en-GB shows it with at most `digits` decimals: `(1234.5).toLocaleString('en-GB', { maximumFractionDigits: digits })`. */
export const formatNumber = (value: number, digits = 0): string => formatFast(value, digits) ?? intlFormat(value, digits);
const n = formatNumber;

export const length = (m: number): Figure => ({ metric: `${n(m, 2)} m`, imperial: `${n(m * 3.28084, 1)} ft` });
export const altitude = (m: number): Figure => ({ metric: `${n(m)} m`, imperial: `${n(m * 3.28084)} ft` });
export const mass = (kg: number): Figure => ({ metric: `${n(kg)} kg`, imperial: `${n(kg * 2.20462)} lb` });
export const speed = (kmh: number): Figure => ({ metric: `${n(kmh)} km/h`, imperial: `${n(kmh / 1.852)} kn` });
export const distance = (km: number): Figure => ({ metric: `${n(km)} km`, imperial: `${n(km / 1.852)} nmi` });
export const thrust = (kn: number): Figure => ({ metric: `${n(kn, 1)} kN`, imperial: `${n(kn * 224.809)} lbf` });
export const power = (kw: number): Figure => ({ metric: `${n(kw)} kW`, imperial: `${n(kw * 1.34102)} hp` });
