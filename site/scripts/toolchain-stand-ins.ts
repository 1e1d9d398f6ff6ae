/**
 * Packages the astro child would load but a build of this site never runs, resolved to a stand-in
 * there instead:
 *   - `svgo`: Astro's `astro/config` imports its SVG optimizer wrapper (`svgoOptimizer`,
 *     astro/dist/assets/svg/svgo.js), and both astro.config.ts and @astrojs/node (for
 *     `sessionDrivers`) import `astro/config`, so every build loaded svgo with csso, css-tree 2,
 *     css-select and their dependencies (~260 modules) before its first line of work, for an
 *     optimizer that only runs when the config sets `experimental.svgOptimizer`. Measured: child CPU
 *     up to its config −0.15 to −0.3 s at 1k (site/BUILD-PERFORMANCE.md, "Thirteenth round").
 *   - `unifont`: `astro/config` also imports Astro's font providers, and its `astro:fonts` Vite
 *     plugin the font resolver; both import unifont, which loads css-tree 3 (~125 modules): ~0.15 s
 *     of CPU on the way to the config, for fonts the site does not configure. With no `fonts` in
 *     the config the plugin still makes a unifont instance with no providers (`idle` below), and
 *     never asks it anything: there is no family to resolve.
 *
 * Only the import from those files of Astro is replaced, by a module with the same exports that
 * throws if called (or, for `idle` names, if called with anything the feature would pass), and
 * `assertStandInsUnused` fails the build before Astro runs when the config asks for what a
 * stand-in replaced. Nothing of a build's output depends on it.
 */
import module from 'node:module';

export interface StandIn {
  /** The bare specifier replaced… */
  specifier: string;
  /** …only when imported from the file whose URL ends with this. */
  importer: string;
  /** The names that file imports from it. */
  exports: readonly string[];
  /** What would run it. */
  feature: string;
  /**
   * Names the importer calls even with the feature off, as the JavaScript of a function given
   * `fail` (which throws what to do): what it returns then, and `fail()` for anything else.
   */
  idle?: Readonly<Record<string, string>>;
}

export const STAND_INS: readonly StandIn[] = [
  { specifier: 'svgo', importer: '/astro/dist/assets/svg/svgo.js', exports: ['optimize'], feature: "Astro's SVG optimizer (experimental.svgOptimizer)" },
  { specifier: 'unifont', importer: '/astro/dist/assets/fonts/providers/index.js', exports: ['providers'], feature: "Astro's font providers (the `fonts` config)" },
  {
    specifier: 'unifont',
    importer: '/astro/dist/assets/fonts/infra/unifont-font-resolver.js',
    exports: ['createUnifont', 'defineFontProvider'],
    feature: "Astro's font resolver (the `fonts` config)",
    // The astro:fonts plugin's buildStart, with no families: createUnifont([], options).
    idle: { createUnifont: '(fail) => (providers) => (providers.length === 0 ? Promise.resolve({ resolveFont: fail, listFonts: fail }) : fail())' },
  },
];

/** The stand-in module of `standIn`: its exports, each throwing what to do (an `idle` name only past its idle answer). */
export function standInUrl(standIn: StandIn): string {
  const message = `${standIn.specifier} is left out of the site build (site/scripts/toolchain-stand-ins.ts), but ${standIn.feature} called it: remove its stand-in there.`;
  // A function that throws, on a call and on any property's call (unifont's `providers.google()`).
  const fail = `const fail = new Proxy(function fail() { throw new Error(${JSON.stringify(message)}); }, { get: (target, key) => (key === 'call' || key === 'apply' || key === 'bind' ? Reflect.get(target, key) : target) });`;
  const source = [fail, ...standIn.exports.map((name) => `export const ${name} = ${standIn.idle?.[name] ? `(${standIn.idle[name]})(fail)` : 'fail'};`)].join('\n');
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

/** The stand-in's URL for `specifier` imported from `parentURL`, or undefined to resolve it as Node does. */
export function standInFor(specifier: string, parentURL: string | undefined, standIns: readonly StandIn[] = STAND_INS): string | undefined {
  const standIn = standIns.find((s) => s.specifier === specifier && parentURL?.endsWith(s.importer));
  return standIn && standInUrl(standIn);
}

/** Registers the resolve hook in this thread, before Astro is imported; `stop()` once the config is loaded. */
export function leaveOutUnusedToolchain(standIns: readonly StandIn[] = STAND_INS): { stop(): void } {
  const hooks = module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const url = standInFor(specifier, context.parentURL, standIns);
      return url ? { url, format: 'module', shortCircuit: true } : nextResolve(specifier, context);
    },
  });
  return { stop: () => hooks.deregister() };
}

/** Fails before the build when the config uses what a stand-in replaced (its error names what to do). */
export function assertStandInsUnused(config: { experimental?: { svgOptimizer?: unknown }; fonts?: readonly unknown[] }): void {
  if (config.experimental?.svgOptimizer !== undefined) {
    throw new Error('astro.config.ts sets experimental.svgOptimizer, but the site build leaves svgo out: remove its stand-in in site/scripts/toolchain-stand-ins.ts.');
  }
  if (config.fonts !== undefined && config.fonts.length > 0) {
    throw new Error("astro.config.ts sets fonts, but the site build leaves unifont out: remove its two stand-ins in site/scripts/toolchain-stand-ins.ts.");
  }
}
