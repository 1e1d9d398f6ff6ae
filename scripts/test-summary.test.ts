import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { clearReport, skippedInCi, summaryLine } from './test-summary.ts';

const report = (passed: number, failed: number) => JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 1, numTodoTests: 0 });

describe('the ./hangar test summary line', () => {
  it("shows this run's counts", () => {
    const path = join(tempDir('summary-'), 'vitest.json');
    writeFileSync(path, report(7, 2));
    expect(summaryLine(path)).toBe('tests: 7 passed, 2 failed, 1 skipped');
  });

  it("never shows the previous run's counts after a run that stopped before vitest", () => {
    const path = join(tempDir('summary-'), 'vitest.json');
    writeFileSync(path, report(500, 0)); // the previous, green run
    clearReport(path); // what a new run does first
    expect(summaryLine(path, 'lint')).toBe('tests: not run (the run stopped at "lint" before vitest)');
  });

  it('fails a CI run that skipped a test, and only a CI run', () => {
    const path = join(tempDir('summary-'), 'vitest.json');
    writeFileSync(path, report(7, 0)); // one skipped
    expect(skippedInCi(path, true)).toMatch(/^1 test\(s\) skipped with CI=true/);
    expect(skippedInCi(path, false)).toBeUndefined();
    writeFileSync(path, JSON.stringify({ numPassedTests: 8, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 }));
    expect(skippedInCi(path, true)).toBeUndefined();
  });
});
