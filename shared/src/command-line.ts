/**
 * A command's arguments, parsed once with node:util's parseArgs (strict: an unknown option, an
 * option without its value and a stray argument are errors). A mistake is a UsageError whose
 * message is what was wrong and then the command's usage; `--help` or `-h` is one with `help`
 * set, whose message is the usage alone. A command prints it and exits 2, or 0 for help:
 * `commandLine` does that for a script's entry, `usageExit` for a command run as a function.
 *
 * @example
 * const { values } = commandLine('usage: ./hangar kafka [--port N]', { options: { port: { type: 'string', default: '9092' } } });
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** `--help` was asked for: the message is the usage, and the command exits 0. */
  readonly help: boolean;
  constructor(message: string, help = false, options?: ErrorOptions) {
    super(message, options);
    this.help = help;
  }
}

/** `config.args` (default: this process's arguments) parsed as `config` says; throws UsageError with `usage`. */
export function parseCommandLine<T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) throw new UsageError(usage, true);
  try {
    return parseArgs<T>({ ...config, args });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`, false, { cause: error });
  }
}

/** For a command run as a function: prints a UsageError (the usage to stdout when asked for) and gives its exit code; rethrows anything else. */
export function usageExit(error: unknown): number {
  if (!(error instanceof UsageError)) throw error;
  if (error.help) console.log(error.message);
  else console.error(error.message);
  return error.help ? 0 : 2;
}

/** For a script's entry: parseCommandLine, or the usage printed and the process ended (2, or 0 for help). */
export function commandLine<T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseCommandLine(usage, config);
  } catch (error) {
    process.exit(usageExit(error));
  }
}
