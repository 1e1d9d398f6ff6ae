import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandLine, parseCommandLine, usageExit, UsageError } from './command-line.ts';

const USAGE = 'usage: thing [--count N] [--dry-run] NAME';
const config = (args: string[]) => ({ args, allowPositionals: true, options: { count: { type: 'string', default: '1' }, 'dry-run': { type: 'boolean', default: false } } }) as const;

afterEach(() => vi.restoreAllMocks());

describe('parseCommandLine', () => {
  it('parses what the command accepts, typed as parseArgs types it', () => {
    const { values, positionals } = parseCommandLine(USAGE, config(['--count', '3', 'plane', '--dry-run']));
    expect(values).toEqual({ count: '3', 'dry-run': true });
    expect(positionals).toEqual(['plane']);
  });

  it('refuses an unknown option, a missing value and a stray argument, saying which and then the usage', () => {
    const wrong = (args: string[]) => {
      try {
        parseCommandLine(USAGE, { args, options: { count: { type: 'string' } } });
      } catch (error) {
        return error;
      }
      throw new Error(`${args.join(' ')} was accepted`);
    };
    for (const [args, reason] of [[['--cuont', '2'], /Unknown option '--cuont'/], [['--count'], /--count/], [['extra'], /Unexpected argument 'extra'/]] as const) {
      const error = wrong([...args]);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).help).toBe(false);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message.endsWith(`\n${USAGE}`)).toBe(true);
    }
  });

  it('answers --help and -h with the usage alone, but not a -h after --', () => {
    for (const flag of ['--help', '-h']) {
      expect(() => parseCommandLine(USAGE, config(['plane', flag]))).toThrow(expect.objectContaining({ help: true, message: USAGE }));
    }
    expect(parseCommandLine(USAGE, config(['--', '-h'])).positionals).toEqual(['-h']);
  });
});

describe('usageExit and commandLine', () => {
  it('print the usage to stdout for help (exit 0) and the mistake to stderr (exit 2); anything else is not theirs', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(usageExit(new UsageError(USAGE, true))).toBe(0);
    expect(log).toHaveBeenCalledWith(USAGE);
    expect(usageExit(new UsageError(`bad\n${USAGE}`))).toBe(2);
    expect(err).toHaveBeenCalledWith(`bad\n${USAGE}`);
    const other = new Error('not a usage error');
    expect(() => usageExit(other)).toThrow(other);
  });

  it('commandLine ends the process with that code', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    expect(() => commandLine(USAGE, { args: ['--nope'], options: {} })).toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
    expect(commandLine(USAGE, config(['x'])).positionals).toEqual(['x']);
  });
});
