import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args.ts';

const PARTS = ['build', 'page-weight', 'producer', 'loop'];

describe('parseBenchArgs', () => {
  it('runs every part, not quick, without JSON when given nothing', () => {
    expect(parseBenchArgs([], PARTS)).toEqual({ quick: false });
  });

  it('takes --quick, --json and --only, and runs the named parts in the bench order, once each', () => {
    expect(parseBenchArgs(['--quick', '--json', 'out/b.json', '--only', 'loop, build,loop'], PARTS)).toEqual({ quick: true, json: 'out/b.json', only: ['build', 'loop'] });
  });

  it('refuses a part name it does not know, naming it and every part there is', () => {
    expect(() => parseBenchArgs(['--only', 'build,biuld'], PARTS)).toThrow(/--only: no part named "biuld"\nusage: .*\n {2}parts: build, page-weight, producer, loop/);
    expect(() => parseBenchArgs(['--only', ''], PARTS)).toThrow(/no part named ""/);
  });

  it('refuses unknown options and stray arguments with the usage', () => {
    expect(() => parseBenchArgs(['--qiuck'], PARTS)).toThrow(/Unknown option '--qiuck'[\s\S]*usage: \.\/hangar bench/);
    expect(() => parseBenchArgs(['build'], PARTS)).toThrow(/usage: \.\/hangar bench/);
    expect(() => parseBenchArgs(['--json'], PARTS)).toThrow(/--json/);
    expect(() => parseBenchArgs(['--json', ''], PARTS)).toThrow(/--json needs a file path/);
  });

  it('answers --help with the usage, as something other than an error to report', () => {
    for (const flag of ['--help', '-h']) {
      expect(() => parseBenchArgs([flag], PARTS)).toThrow(expect.objectContaining({ help: true, message: expect.stringMatching(/^usage: \.\/hangar bench .*\n {2}parts: build, page-weight, producer, loop/) }));
    }
  });
});
