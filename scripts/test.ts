/**
 * `./hangar test` (`pnpm test`): the whole suite, in the order that fails fastest.
 * Each step is a real command; the run stops at the first red step and ends with one summary line.
 */
import { spawnSync } from 'node:child_process';
import { clearReport, skippedInCi, summaryLine, VITEST_REPORT } from './test-summary.ts';

interface Step {
  name: string;
  command: string;
  args: string[];
}

const steps: Step[] = [
  { name: 'lint', command: 'eslint', args: ['--max-warnings', '0', '.'] },
  { name: 'type-check', command: 'tsc', args: ['-p', 'tsconfig.json'] },
  { name: 'data check', command: process.execPath, args: ['scripts/data/check.ts'] },
  // Builds actionlint and the deploy validator once into .tools/go-bin (cached), so the deploy tests do not wait on Go.
  { name: 'deploy validators (Go, cached)', command: process.execPath, args: ['deploy/tools/go-tools.ts'] },
  // astro sync + tsc over site/; .astro files are linted above (`astro check` cannot load here: README, Site)
  { name: 'site type-check', command: 'pnpm', args: ['--filter', '@hangarstack/site', 'run', 'check'] },
  { name: 'site build (build-and-swap)', command: process.execPath, args: ['site/scripts/build-and-swap.ts'] },
  { name: 'site HTML valid (Nu HTML Checker, every page, 0 errors)', command: process.execPath, args: ['site/scripts/validate-html.ts'] },
  { name: 'site budgets (14 KB page, 2 KB JS, 1 KB beacon, brotli)', command: process.execPath, args: ['site/scripts/budgets.ts'] },
  { name: 'site Lighthouse ≥ 95', command: process.execPath, args: ['site/scripts/lighthouse.ts'] },
  {
    name: 'unit + integration tests (vitest, real Kafka)',
    command: 'vitest',
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_REPORT}`],
  },
];

const started = performance.now();
clearReport();
for (const step of steps) {
  console.log(`\n▶ ${step.name}: ${step.command} ${step.args.join(' ')}`);
  const stepStarted = performance.now();
  const result = spawnSync(step.command, step.args, { stdio: 'inherit' });
  const seconds = ((performance.now() - stepStarted) / 1000).toFixed(1);
  if (result.error) {
    console.error(`✗ ${step.name}: could not run ${step.command} (${result.error.message}). Run ./hangar test so dependencies are installed.`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`✗ ${step.name} failed after ${seconds} s (exit ${result.status})`);
    console.log(`\n${summaryLine(VITEST_REPORT, step.name)}`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${step.name} (${seconds} s)`);
}
console.log(`\n${summaryLine()}`);
const skipped = skippedInCi();
if (skipped) {
  console.error(`✗ ${skipped}`);
  process.exit(1);
}
console.log(`all steps green in ${((performance.now() - started) / 1000).toFixed(1)} s`);
