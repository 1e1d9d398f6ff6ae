/**
 * The benchmark's one output: rows of (section, measure, value, baseline, ratio, target, verdict),
 * printed as a plain-text table and written as JSON with `--json PATH`.
 */

/** One figure. `baseline` and `ratio` are set when the figure is compared with a same-run baseline. */
export interface BenchRow {
  /** A stable dotted id (`drills.sybil_visitors_gained`) for rows that tools compare across runs. */
  id?: string;
  section: string;
  measure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** Human-readable target, e.g. "≤ 5× hugo" or "= 0". */
  target?: string;
  /** true/false when a target applies; undefined otherwise. */
  ok?: boolean;
  note?: string;
}

/** Formats a number for a table cell: integers with separators, small numbers with 3 significant digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
}

function verdict(ok: boolean | undefined): string {
  if (ok === undefined) return '';
  return ok ? 'PASS' : 'FAIL';
}

/** Renders rows as an aligned text table (one header, one line per row). */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['section', 'measure', 'value', 'baseline', 'ratio', 'target', 'result'];
  const cells = rows.map((r) => [
    r.section,
    r.measure,
    `${formatNumber(r.value)} ${r.unit}`.trim(),
    r.baseline ? `${r.baseline.name} ${formatNumber(r.baseline.value)}` : '',
    r.ratio === undefined ? '' : `${formatNumber(r.ratio)}×`,
    r.target ?? '',
    verdict(r.ok) + (r.note ? `${r.ok === undefined ? '' : ' '}(${r.note})` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) => c.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** The JSON document `--json PATH` writes. */
export function benchReport(rows: readonly BenchRow[], meta: { quick: boolean; startedAt: string; finishedAt: string; failures: string[]; partial?: boolean }) {
  return { schema: 1, ...meta, rows, failed: rows.filter((r) => r.ok === false).map((r) => `${r.section}: ${r.measure}`) };
}
