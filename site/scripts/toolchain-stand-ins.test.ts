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

  it("replaces unifont only where Astro's font providers and font resolver import it", () => {
    for (const file of ['providers/index.js', 'infra/unifont-font-resolver.js']) {
      expect(standInFor('unifont', pathToFileURL(join(astroDir, 'dist', 'assets', 'fonts', ...file.split('/'))).href)).toMatch(/^data:text\/javascript,/);
    }
    expect(standInFor('unifont', pathToFileURL(join(astroDir, 'dist', 'assets', 'fonts', 'vite-plugin-fonts.js')).href)).toBeUndefined();
  });

  it('gives every name the importer takes, each failing with what to do', async () => {
    for (const standIn of STAND_INS) {
      const mod = (await import(standInUrl(standIn))) as Record<string, (...args: unknown[]) => unknown>;
      const message = `${standIn.specifier} is left out of the site build (site/scripts/toolchain-stand-ins.ts)`;
      expect(Object.keys(mod).sort()).toEqual([...standIn.exports].sort());
      for (const name of standIn.exports) {
        // An idle name still fails when given what the feature would pass (a provider); the others
        // on any call, of themselves or of what they hold (unifont's `providers.google()`).
        expect(() => mod[name]?.([{ name: 'google' }])).toThrow(message);
        if (!standIn.idle?.[name]) expect(() => (mod[name] as unknown as Record<string, () => unknown>).google?.()).toThrow(message);
      }
    }
  });

  it("answers the font plugin's call with no providers, and fails on any use of what it answered", async () => {
    const resolver = STAND_INS.find((s) => s.importer.endsWith('/unifont-font-resolver.js'));
    if (!resolver) throw new Error('no stand-in for the font resolver');
    const { createUnifont } = (await import(standInUrl(resolver))) as { createUnifont: (providers: unknown[]) => Promise<{ resolveFont: () => unknown; listFonts: () => unknown }> };
    const unifont = await createUnifont([]);
    expect(() => unifont.resolveFont()).toThrow(/unifont is left out of the site build/);
    expect(() => unifont.listFonts()).toThrow(/unifont is left out of the site build/);
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

  it("resolves Astro's font providers with the stand-in in a process that leaves unifont out, and the real ones without", () => {
    const script = (leaveOut: boolean) => `import { leaveOutUnusedToolchain } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'toolchain-stand-ins.ts')).href)};
${leaveOut ? 'leaveOutUnusedToolchain();' : ''}
const { fontProviders } = await import('astro/config');
try { process.stdout.write(typeof fontProviders.npm().name); } catch (error) { process.stdout.write(error.message); }`;
    const run = (leaveOut: boolean) => execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script(leaveOut)], { cwd: SITE, encoding: 'utf8' });
    expect(run(true)).toMatch(/^unifont is left out of the site build/);
    expect(run(false)).toBe('string');
  });

  it('fails before the build when the config asks for the SVG optimizer or for fonts', () => {
    expect(() => assertStandInsUnused({ fonts: [{ name: 'Inter' }] })).toThrow(/sets fonts.*toolchain-stand-ins.ts/);
    expect(() => assertStandInsUnused({ fonts: [] })).not.toThrow();
    expect(() => assertStandInsUnused({ experimental: { svgOptimizer: { name: 'svgo', optimize: (s: string) => s } } })).toThrow(/experimental.svgOptimizer.*toolchain-stand-ins.ts/);
    expect(() => assertStandInsUnused({ experimental: {} })).not.toThrow();
    expect(() => assertStandInsUnused({})).not.toThrow();
  });
});
