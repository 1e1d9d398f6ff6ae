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
/** `value` as en-GB shows it with at most `digits` decimals: `(1234.5).toLocaleString('en-GB', { maximumFractionDigits: digits })`, built once per precision. */
export const formatNumber = (value: number, digits = 0): string => {
  let format = formats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits });
    formats.set(digits, format);
  }
  return format.format(value);
};
const n = formatNumber;

export const length = (m: number): Figure => ({ metric: `${n(m, 2)} m`, imperial: `${n(m * 3.28084, 1)} ft` });
export const altitude = (m: number): Figure => ({ metric: `${n(m)} m`, imperial: `${n(m * 3.28084)} ft` });
export const mass = (kg: number): Figure => ({ metric: `${n(kg)} kg`, imperial: `${n(kg * 2.20462)} lb` });
export const speed = (kmh: number): Figure => ({ metric: `${n(kmh)} km/h`, imperial: `${n(kmh / 1.852)} kn` });
export const distance = (km: number): Figure => ({ metric: `${n(km)} km`, imperial: `${n(km / 1.852)} nmi` });
export const thrust = (kn: number): Figure => ({ metric: `${n(kn, 1)} kN`, imperial: `${n(kn * 224.809)} lbf` });
export const power = (kw: number): Figure => ({ metric: `${n(kw)} kW`, imperial: `${n(kw * 1.34102)} hp` });
