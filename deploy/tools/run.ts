import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, for running validators from a fixed directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Result of one validator run; `output` is stdout and stderr together, for assertion messages. */
export interface RunResult {
  status: number | null;
  output: string;
}

/** Runs a validator synchronously from the repo root and returns its exit status and output. */
export function run(command: string, args: readonly string[], cwd = REPO_ROOT): RunResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`could not run ${command}: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
