import { describe, expect, it } from 'vitest';
import { benchReport, formatNumber, renderTable, type BenchRow } from './table.ts';

const rows: BenchRow[] = [
  { section: 'producer', measure: 'kafkajs records/s', value: 13_759, unit: 'rec/s' },
  { section: 'producer', measure: 'platformatic records/s', value: 22_436.4, unit: 'rec/s', baseline: { name: 'kafkajs', value: 13_759 }, ratio: 1.6306 },
  { section: 'drills', measure: 'lost', value: 0, unit: '', target: '= 0', ok: true },
  { section: 'drills', measure: 'resets', value: 3, unit: '', target: '= 0', ok: false, note: 'oversize:3' },
];

describe('formatNumber', () => {
  it('groups integers, keeps three significant digits for small fractions and says n/a for NaN', () => {
    expect(formatNumber(1_234_567)).toBe('1,234,567');
    expect(formatNumber(0.41372)).toBe('0.414');
    expect(formatNumber(1234.6)).toBe('1,235');
    expect(formatNumber(Number.NaN)).toBe('n/a');
  });
});

describe('renderTable', () => {
  it('prints a header, a rule and one aligned line per row with baseline, ratio and verdict', () => {
    const lines = renderTable(rows).split('\n');
    expect(lines).toHaveLength(2 + rows.length);
    expect(lines[0]).toMatch(/^section\s+measure\s+value\s+baseline\s+ratio\s+target\s+result$/);
    expect(lines[3]).toContain('kafkajs 13,759');
    expect(lines[3]).toContain('1.63×');
    expect(lines[4]).toMatch(/= 0\s+PASS$/);
    expect(lines[5]).toContain('FAIL (oversize:3)');
    const valueColumn = (lines[0] as string).indexOf('value');
    for (const line of lines.slice(2)) expect(line.slice(valueColumn, valueColumn + 1)).toMatch(/\d/);
  });
});

describe('benchReport', () => {
  it('lists the rows that failed their target', () => {
    const report = benchReport(rows, { quick: true, startedAt: 'a', finishedAt: 'b', failures: [] });
    expect(report.failed).toEqual(['drills: resets']);
    expect(report.rows).toHaveLength(4);
  });

  it('marks a report written before the run ended as partial', () => {
    expect(benchReport(rows, { quick: false, startedAt: 'a', finishedAt: 'b', failures: [], partial: true }).partial).toBe(true);
    expect(benchReport(rows, { quick: false, startedAt: 'a', finishedAt: 'b', failures: [], partial: false }).partial).toBe(false);
  });
});
