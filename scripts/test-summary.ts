import { readFileSync, rmSync } from 'node:fs';

/** Where the vitest step writes its JSON report (scripts/test.ts passes it on the command line). */
export const VITEST_REPORT = 'test-results/vitest.json';

/**
 * Deletes the previous run's report before a run starts, so a run that stops before the vitest
 * step can never print the counts of an earlier run as its own.
 */
export function clearReport(path = VITEST_REPORT): void {
  rmSync(path, { force: true });
}

/** The one summary line: this run's counts, or why there are none. */
export function summaryLine(path = VITEST_REPORT, stoppedAt?: string): string {
  let report: { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as typeof report;
  } catch {
    return `tests: not run (the run stopped at "${stoppedAt ?? 'an earlier step'}" before vitest)`;
  }
  return `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
}
