import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { DEFAULT_LIVE_DIR, liveRootOf, SITE_ENV, startingFile } from '@hangarstack/shared/rebuild-worker';
import { ensureRenderWorker, RENDER_WORKER_NICE } from './render-worker-client.ts';
import { loadSiteConfig, siteEnvShape } from '../src/lib/config.ts';

const SCRIPTS = dirname(fileURLToPath(import.meta.url));

/** The modules `file` imports at load time (not `import()`), recursively: node built-ins by name, local files by path. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const source = readFileSync(file, 'utf8');
  for (const [, spec] of source.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)';/gm)) {
    if (!spec) continue;
    const target = spec.startsWith('.') ? join(dirname(file), spec) : spec;
    if (seen.has(target)) continue;
    seen.add(target);
    if (spec.startsWith('.')) staticImports(target, seen);
  }
  return seen;
}

describe('the rebuild command as a thin client of the render worker', () => {
  it('loads only node built-ins, the worker client and the astro child launcher before asking the worker', () => {
    // The entry imports them with import() once the compile cache is on (build-and-swap.mjs says why).
    const entry = join(SCRIPTS, 'build-and-swap.ts');
    const beforeAsking = readFileSync(entry, 'utf8').split('await rebuildThroughWorker(')[0] ?? '';
    const first = new Set([...staticImports(entry)]);
    for (const [, spec] of beforeAsking.matchAll(/import\('(\.[^']+)'\)/g)) if (spec) staticImports(join(SCRIPTS, spec), first).add(join(SCRIPTS, spec));
    const loaded = [...first].map((m) => (m.startsWith('/') ? m.slice(SCRIPTS.length + 1) : m)).sort();
    expect(loaded.filter((m) => !m.startsWith('node:'))).toEqual(['@hangarstack/shared/rebuild-worker', 'astro-child.ts', 'compile-cache.ts', 'live-dir.ts', 'render-worker-client.ts']);
    // …and that shared module loads node built-ins only.
    const shared = readFileSync(join(SCRIPTS, '..', '..', 'shared', 'src', 'rebuild-worker.ts'), 'utf8');
    expect([...shared.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)';/gm)].map(([, spec]) => spec).filter((spec) => !spec?.startsWith('node:'))).toEqual([]);
  });

  it('sends the worker every variable the site config reads', () => {
    for (const name of Object.keys(siteEnvShape)) expect(SITE_ENV.test(name), name).toBe(true);
    expect(SITE_ENV.test('KAFKA_SASL_PASSWORD')).toBe(false);
  });

  it('finds the live dir where the site config puts it (the socket is named after it)', () => {
    expect(DEFAULT_LIVE_DIR).toBe(loadSiteConfig({}).liveDir);
    expect(liveRootOf({ HANGAR_LIVE_DIR: 'x/live' }, '/srv')).toBe(loadSiteConfig({ HANGAR_LIVE_DIR: 'x/live' }, '/srv').liveDir);
  });

  it('starts the worker niced, with the build\'s compile cache, so its imports are not compiled afresh beside every full build', async () => {
    const live = tempDir('hangar-worker-cc-');
    const workerDir = join(live, 'workers', 'k');
    mkdirSync(join(live, 'builds'), { recursive: true });
    // No such build: the worker exits by itself at once, having read its environment.
    await ensureRenderWorker(live, join(live, 'builds', 'none'), 'k', workerDir, join(live, 'cc'));
    const { pid } = JSON.parse(readFileSync(startingFile(live), 'utf8')) as { pid: number };
    // It is spawned through `nice`, which then execs node: wait for node.
    for (let tries = 0; tries < 200 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] !== process.execPath; tries++) await new Promise((r) => setTimeout(r, 10));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2)).toEqual([process.execPath, join(SCRIPTS, 'render-worker.ts')]);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`NODE_COMPILE_CACHE=${join(live, 'cc')}`);
    // Background work: the worker (and every thread it starts) runs at RENDER_WORKER_NICE. Field 19
    // of /proc/<pid>/stat, counted after the command name's closing parenthesis.
    const nice = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
    expect(nice).toBe(RENDER_WORKER_NICE);
    try {
      process.kill(pid);
    } catch {
      // It exited by itself already.
    }
  });
});
