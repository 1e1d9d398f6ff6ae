import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { installKey } from './resolution-cache.ts';

/** A pnpm-style install: package `a` in the store imports `b` (a symlink, as pnpm lays it out), whose `exports` name one.js. */
function install(): { repo: string; b: string; entry: string } {
  const repo = tempDir('hangar-resolution-cache-');
  const store = join(repo, 'node_modules', '.pnpm');
  const a = join(store, 'a@1', 'node_modules', 'a');
  const b = join(store, 'b@1', 'node_modules', 'b');
  mkdirSync(a, { recursive: true });
  mkdirSync(b, { recursive: true });
  writeFileSync(join(repo, 'node_modules', '.modules.yaml'), 'layoutVersion: 5\n');
  writeFileSync(join(store, 'lock.yaml'), 'lockfileVersion: 9.0\n');
  writeFileSync(join(a, 'package.json'), JSON.stringify({ name: 'a', type: 'module', exports: './index.js' }));
  writeFileSync(join(a, 'index.js'), "export { default } from 'b';\n");
  symlinkSync(b, join(store, 'a@1', 'node_modules', 'b'));
  writeFileSync(join(b, 'package.json'), JSON.stringify({ name: 'b', type: 'module', exports: './one.js' }));
  writeFileSync(join(b, 'one.js'), "export default 'one';\n");
  writeFileSync(join(b, 'two.js'), "export default 'two';\n");
  return { repo, b, entry: pathToFileURL(join(a, 'index.js')).href };
}

/** What `a` exports, imported by a fresh node with the cache in `file` enabled. */
function importA(repo: string, entry: string, file: string, env: Record<string, string> = {}): string {
  const script = `import { enableResolutionCache } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'resolution-cache.ts')).href)};
enableResolutionCache(${JSON.stringify(file)}, ${JSON.stringify(repo)});
process.stdout.write((await import(${JSON.stringify(entry)})).default);`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', ...env } });
}

describe('the resolution cache', () => {
  it('answers a store package\'s imports from the file while the install is the same, and resolves afresh after an install', () => {
    const { repo, b, entry } = install();
    const file = join(repo, 'resolutions.json');
    expect(importA(repo, entry, file)).toBe('one');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; entries: Record<string, [string, string]> };
    expect(stored.key).toBe(installKey(repo));
    expect(Object.values(stored.entries)).toEqual([['b@1/node_modules/b/one.js', 'module']]);

    // The package changes under the same install stamps: the cached answer is used (what makes it fast).
    writeFileSync(join(b, 'package.json'), JSON.stringify({ name: 'b', type: 'module', exports: './two.js' }));
    expect(importA(repo, entry, file)).toBe('one');
    // …unless the cache is off, with the compile cache.
    expect(importA(repo, entry, file, { NODE_DISABLE_COMPILE_CACHE: '1' })).toBe('two');

    // An install rewrites pnpm's stamps: every entry is dropped and resolved again.
    utimesSync(join(repo, 'node_modules', '.modules.yaml'), new Date(), new Date(Date.now() + 5_000));
    expect(importA(repo, entry, file)).toBe('two');
    expect(Object.values((JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, [string, string]> }).entries)).toEqual([['b@1/node_modules/b/two.js', 'module']]);
  });

  it('does nothing without a pnpm install', () => {
    const repo = tempDir('hangar-resolution-cache-');
    expect(installKey(repo)).toBeUndefined();
  });
});
