/**
 * The bench's command line, parsed once, before a broker starts or a part runs: an unknown option
 * or part name stops the run at once with what is accepted (a typo in `--only` used to start a
 * broker, run nothing and exit 0). Mistakes and `--help` are @hangarstack/shared/command-line's UsageError.
 */
import { parseCommandLine, UsageError } from '@hangarstack/shared/command-line';

export interface BenchArgs {
  quick: boolean;
  /** Where the rows are written as JSON, if anywhere. */
  json?: string;
  /** The parts to run (`--only`), in the bench's order; undefined: all of them. */
  only?: string[];
}

const usage = (parts: readonly string[]): string =>
  `usage: ./hangar bench [--quick] [--json PATH] [--only PART[,PART…]]\n  parts: ${parts.join(', ')} (bench/README.md says what each measures)`;

/** `argv` (without node and the script) checked against the part names. */
export function parseBenchArgs(argv: readonly string[], parts: readonly string[]): BenchArgs {
  const { values } = parseCommandLine(usage(parts), { args: [...argv], options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, only: { type: 'string' } } });
  if (values.json === '') throw new UsageError(`--json needs a file path\n${usage(parts)}`);
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !parts.includes(name)) ?? [];
  if (unknown.length > 0) throw new UsageError(`--only: no part named ${unknown.map((n) => `"${n}"`).join(', ')}\n${usage(parts)}`);
  return { quick: values.quick, ...(values.json === undefined ? {} : { json: values.json }), ...(only ? { only: parts.filter((p) => only.includes(p)) } : {}) };
}
