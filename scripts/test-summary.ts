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

interface VitestCounts {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

function readCounts(path: string): VitestCounts | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as VitestCounts;
  } catch {
    return undefined;
  }
}

/** The one summary line: this run's counts, or why there are none. */
export function summaryLine(path = VITEST_REPORT, stoppedAt?: string): string {
  const report = readCounts(path);
  if (!report) return `tests: not run (the run stopped at "${stoppedAt ?? 'an earlier step'}" before vitest)`;
  return `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
}

/**
 * Why a CI run must fail although vitest passed, or undefined. Tests skip only where a local
 * machine lacks a part (no Java for the broker, no kcat) and the global setup said so loudly;
 * in CI every part is installed, so a skipped test there is a test that silently did not run.
 */
export function skippedInCi(path = VITEST_REPORT, ci = process.env.CI === 'true'): string | undefined {
  const report = readCounts(path);
  const skipped = report ? report.numPendingTests + report.numTodoTests : 0;
  if (!ci || skipped === 0) return undefined;
  return `${skipped} test(s) skipped with CI=true: every test must run in CI (see the "skipped" entries in ${path})`;
}
