import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearReport, summaryLine } from './test-summary.ts';

const report = (passed: number, failed: number) => JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 1, numTodoTests: 0 });

describe('the ./hangar test summary line', () => {
  it("shows this run's counts", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'summary-')), 'vitest.json');
    writeFileSync(path, report(7, 2));
    expect(summaryLine(path)).toBe('tests: 7 passed, 2 failed, 1 skipped');
  });

  it("never shows the previous run's counts after a run that stopped before vitest", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'summary-')), 'vitest.json');
    writeFileSync(path, report(500, 0)); // the previous, green run
    clearReport(path); // what a new run does first
    expect(summaryLine(path, 'lint')).toBe('tests: not run (the run stopped at "lint" before vitest)');
  });
});
