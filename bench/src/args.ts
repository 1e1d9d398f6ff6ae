/**
 * The bench's command line, parsed once, before a broker starts or a part runs: an unknown option
 * or part name stops the run at once with what is accepted (a typo in `--only` used to start a
 * broker, run nothing and exit 0).
 */
import { parseArgs } from 'node:util';

export interface BenchArgs {
  quick: boolean;
  /** Where the rows are written as JSON, if anywhere. */
  json?: string;
  /** The parts to run (`--only`), in the bench's order; undefined: all of them. */
  only?: string[];
}

export const usage = (parts: readonly string[]): string =>
  `usage: ./hangar bench [--quick] [--json PATH] [--only PART[,PART…]]\n  parts: ${parts.join(', ')} (bench/README.md says what each measures)`;

/** `--help`: the caller prints the usage and exits 0. */
export class HelpAsked extends Error {}

/** `argv` (without node and the script) checked against the part names; throws a message fit for the terminal when it is wrong. */
export function parseBenchArgs(argv: readonly string[], parts: readonly string[]): BenchArgs {
  let values: { quick?: boolean; json?: string; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { quick: { type: 'boolean' }, json: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage(parts)}`, { cause: error });
  }
  if (values.help) throw new HelpAsked(usage(parts));
  if (values.json === '') throw new Error(`--json needs a file path\n${usage(parts)}`);
  const only = values.only?.split(',').map((name) => name.trim());
  if (only) {
    const unknown = only.filter((name) => !parts.includes(name));
    if (unknown.length > 0) throw new Error(`--only: no part named ${unknown.map((n) => `"${n}"`).join(', ')}\n${usage(parts)}`);
  }
  return { quick: values.quick ?? false, ...(values.json === undefined ? {} : { json: values.json }), ...(only ? { only: parts.filter((p) => only.includes(p)) } : {}) };
}
