import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertStandInsUnused, STAND_INS, standInFor, standInUrl } from './toolchain-stand-ins.ts';

const SITE = join(import.meta.dirname, '..');
/** The installed Astro's own files, as the site resolves it. */
const astroDir = dirname(createRequire(join(SITE, 'package.json')).resolve('astro/package.json'));

describe('toolchain stand-ins', () => {
  it("replaces svgo only where Astro's SVG optimizer wrapper imports it", () => {
    const wrapper = pathToFileURL(join(astroDir, 'dist', 'assets', 'svg', 'svgo.js')).href;
    expect(standInFor('svgo', wrapper)).toMatch(/^data:text\/javascript,/);
    expect(standInFor('svgo', pathToFileURL(join(SITE, 'src', 'lib', 'anything.ts')).href)).toBeUndefined();
    expect(standInFor('csso', wrapper)).toBeUndefined();
    expect(standInFor('svgo', undefined)).toBeUndefined();
  });

  it('gives every name the importer takes, each failing with what to do', async () => {
    for (const standIn of STAND_INS) {
      const mod = (await import(standInUrl(standIn))) as Record<string, () => unknown>;
      expect(Object.keys(mod).sort()).toEqual([...standIn.exports].sort());
      for (const name of standIn.exports) expect(() => mod[name]?.()).toThrow(`${standIn.specifier} is left out of the site build (site/scripts/toolchain-stand-ins.ts)`);
    }
  });

  it("still matches the installed Astro: each importer exists and imports exactly those names from the package (an upgrade that moves them fails here)", () => {
    for (const standIn of STAND_INS) {
      const source = readFileSync(join(astroDir, ...standIn.importer.replace(/^\/astro\//, '').split('/')), 'utf8');
      const imports = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)].filter((m) => m[2] === standIn.specifier);
      expect(imports.flatMap((m) => (m[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean)).sort()).toEqual([...standIn.exports].sort());
    }
  });

  it('resolves Astro\'s config entry with the stand-in in a process that leaves svgo out, and the real one without', () => {
    const script = (leaveOut: boolean) => `import { leaveOutUnusedToolchain } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'toolchain-stand-ins.ts')).href)};
${leaveOut ? 'leaveOutUnusedToolchain();' : ''}
const { svgoOptimizer } = await import('astro/config');
try { svgoOptimizer({}).optimize('<svg/>', 'a.svg'); process.stdout.write('optimized'); } catch (error) { process.stdout.write(error.message); }`;
    const run = (leaveOut: boolean) => execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script(leaveOut)], { cwd: SITE, encoding: 'utf8' });
    expect(run(true)).toMatch(/^svgo is left out of the site build/);
    expect(run(false)).toBe('optimized');
  });

  it('fails before the build when the config asks for the SVG optimizer', () => {
    expect(() => assertStandInsUnused({ experimental: { svgOptimizer: { name: 'svgo', optimize: (s: string) => s } } })).toThrow(/experimental.svgOptimizer.*toolchain-stand-ins.ts/);
    expect(() => assertStandInsUnused({ experimental: {} })).not.toThrow();
    expect(() => assertStandInsUnused({})).not.toThrow();
  });
});
