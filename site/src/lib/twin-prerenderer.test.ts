import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteData } from 'astro';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { RENDER_APP_FILE } from './render-route.ts';
import { NO_PRERENDER_OUTPUT, oneBundleConfig, twinPrerenderer } from './twin-prerenderer.ts';

/** A server dir whose render App (render-app.ts's place) has `routes` and answers `answers` by twin path (else 404). */
function serverDir(routes: readonly Partial<RouteData>[], answers: Record<string, [number, string]>): string {
  const dir = tempDir('twin-prerenderer-');
  const serialized = routes.map((r) => ({ ...r, pattern: r.pattern?.source }));
  writeFileSync(
    join(dir, RENDER_APP_FILE),
    `const routes = ${JSON.stringify(serialized)}.map((r) => ({ routeData: { ...r, pattern: new RegExp(r.pattern) } }));
const answers = ${JSON.stringify(answers)};
export const app = {
  manifest: { routes },
  async render(request) {
    const [status, body] = answers[new URL(request.url).pathname] ?? [404, 'no such route'];
    return new Response(body, { status });
  },
};
`,
  );
  return dir;
}
const page = (route: string, pattern: RegExp, prerender: boolean, pathname?: string): Partial<RouteData> => ({ route, pattern, prerender, component: `src/pages${route}.astro`, ...(pathname ? { pathname } : {}) });
const home = page('/', /^\/$/, true, '/');
const aircraft = page('/aircraft/[slug]', /^\/aircraft\/([^/]+?)\/$/, true);
const era = page('/era/[era]', /^\/era\/([^/]+?)\/$/, true);
const keys = page('/hangar-route-keys.json', /^\/hangar-route-keys\.json$/, true, '/hangar-route-keys.json');
const twins = ['/hangar-render', '/hangar-render/aircraft/[slug]', '/hangar-render/era/[era]', '/hangar-render/hangar-route-keys.json'].map((route) => page(route, /^$/, false));
const keyed = JSON.stringify({ '/aircraft/b/': 'k', '/aircraft/a/': 'k', '/aircraft/a.json': 'k', '/era/1990s/': 'k', '/era/1950s/': 'k' });

describe('twinPrerenderer', () => {
  it('lists every prerendered route: fixed ones by their path, dynamic ones by the catalogue keys (indexed pages in path order, the rest in key order)', async () => {
    const dir = serverDir([home, aircraft, era, keys, ...twins], { '/hangar-render/hangar-route-keys.json': [200, keyed] });
    const prerenderer = twinPrerenderer(() => dir);
    await prerenderer.setup?.();
    const paths = await prerenderer.getStaticPaths();
    expect(paths.map((p) => [p.pathname, p.route.route])).toEqual([
      ['/', '/'],
      ['/aircraft/a/', '/aircraft/[slug]'],
      ['/aircraft/b/', '/aircraft/[slug]'],
      ['/era/1990s/', '/era/[era]'],
      ['/era/1950s/', '/era/[era]'],
      ['/hangar-route-keys.json', '/hangar-route-keys.json'],
    ]);
  });

  it('renders a page through its twin, and fails naming the route when the twin does not answer 200', async () => {
    const dir = serverDir([home, ...twins], { '/hangar-render/': [200, '<p>home</p>'], '/hangar-render/era/1850s/': [404, 'no era page 1850s in this catalogue'] });
    const prerenderer = twinPrerenderer(() => dir);
    await prerenderer.setup?.();
    const render = (url: string) => prerenderer.render(new Request(url), { routeData: home as RouteData });
    expect(await ((await render('http://localhost:4321/')) as Response).text()).toBe('<p>home</p>');
    await expect(render('http://localhost:4321/era/1850s/')).rejects.toThrow(/\/era\/1850s\/ did not render through its twin.*404 no era page 1850s/);
  });

  it('fails the build when a prerendered route has no twin', async () => {
    const compare = page('/compare', /^\/compare\/$/, true, '/compare');
    const dir = serverDir([home, compare, keys, ...twins], { '/hangar-render/hangar-route-keys.json': [200, '{}'] });
    const prerenderer = twinPrerenderer(() => dir);
    await prerenderer.setup?.();
    await expect(prerenderer.getStaticPaths()).rejects.toThrow('src/pages/compare.astro has no on-demand twin under src/pages/hangar-render/');
  });
});

describe('oneBundleConfig', () => {
  /** A builder as Vite makes one: three environments, and a build that records what it built. */
  const fakeBuilder = () => {
    const built: string[] = [];
    const environments = { prerender: { name: 'prerender' }, ssr: { name: 'ssr' }, client: { name: 'client' } };
    const builder = {
      environments,
      async build(environment: { name: string }) {
        built.push(environment.name);
        return { output: [{ type: 'chunk', fileName: `${environment.name}.mjs`, code: 'built', moduleIds: [] }] };
      },
    };
    return { builder, built };
  };
  type BuildApp = NonNullable<NonNullable<ReturnType<typeof oneBundleConfig>['builder']>['buildApp']>;

  it("runs Astro's buildApp with every environment built but the prerender one, which hands back only an empty prerender entry", async () => {
    const { builder, built } = fakeBuilder();
    const seen: unknown[] = [];
    // Astro's order: prerender, SSR, client, each output read back.
    const astroBuildApp = (async (b: typeof builder) => {
      for (const name of ['prerender', 'ssr', 'client'] as const) seen.push(await b.build(b.environments[name]));
    }) as unknown as BuildApp;
    await oneBundleConfig(astroBuildApp).builder?.buildApp?.(builder as unknown as Parameters<BuildApp>[0]);
    expect(built).toEqual(['ssr', 'client']);
    expect(seen[0]).toBe(NO_PRERENDER_OUTPUT);
    expect(NO_PRERENDER_OUTPUT.output.map((c) => c.fileName)).toEqual([expect.stringMatching(/^prerender-entry/)]);
    expect(seen.slice(1)).toEqual([{ output: [expect.objectContaining({ fileName: 'ssr.mjs' })] }, { output: [expect.objectContaining({ fileName: 'client.mjs' })] }]);
  });

  it("fails naming this file when Astro's build config has no buildApp to wrap", () => {
    expect(() => oneBundleConfig(undefined)).toThrow(/no builder.buildApp to wrap.*lib\/twin-prerenderer.ts/);
  });
});
