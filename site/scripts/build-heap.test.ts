import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_HEAP_GROWING_PERCENT } from './build-heap.ts';

/** Runs `script` (an ES module) in a fresh node with `flags`; its stdout. V8's flags are process-wide, so never in this one. */
const node = (script: string, flags: string[] = []): string => execFileSync(process.execPath, [...flags, '--no-warnings', '--input-type=module', '-e', script], { encoding: 'utf8' });

describe('capHeapGrowth', () => {
  it('sets the flag as the command line would, at run time, after Node started with no flag', () => {
    // V8's cached-data tag hashes the flags that are off their default: the same tag is the same flags.
    const tag = "import v8 from 'node:v8'; process.stdout.write(String(v8.cachedDataVersionTag()));";
    const plain = node(tag);
    const flagged = node(tag, [`--heap-growing-percent=${BUILD_HEAP_GROWING_PERCENT}`, '--expose-gc']);
    const [before, after, gcMs, exposed] = node(
      `import v8 from 'node:v8';
import vm from 'node:vm';
const { capHeapGrowth } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'build-heap.ts')).href)});
const before = v8.cachedDataVersionTag();
const ms = capHeapGrowth();
process.stdout.write([before, v8.cachedDataVersionTag(), ms, vm.runInNewContext('typeof gc')].join(' '));`,
    ).split(' ');
    // Until the call the process runs under V8's defaults, which is what lets Node's built-in
    // modules come from the code cache they ship with.
    expect(before).toBe(plain);
    expect(after).toBe(flagged);
    expect(after).not.toBe(plain);
    // …and it collected once, with the `gc` the flag exposes.
    expect(Number(gcMs)).toBeGreaterThanOrEqual(0);
    expect(exposed).toBe('function');
  });
});
