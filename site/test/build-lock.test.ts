import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_FILE } from '../scripts/build-record.ts';
import { buildSite, FIXTURES, REPO_DIR, SITE_DIR, tempDir, testLiveDir } from './harness.ts';

/**
 * A killed build never blocks the next one: SIGKILL a real build mid-way (it holds the lock and
 * has started writing its output), then the next build is told who holds the lock while the lock
 * is fresh, takes it over once it is stale, removes the dead build's directory (never live) and
 * swaps its own build live.
 */
// Long enough that the refused attempt right after the kill surely lands while the lock is fresh.
const STALE_MS = 20_000;
const live = testLiveDir('build-lock');
const env = {
  HANGAR_DATA_DIR: FIXTURES,
  POPULARITY_FILE: join(FIXTURES, 'popularity.json'),
  PUBLIC_COLLECTOR_URL: 'http://127.0.0.1:9',
  SITE_URL: 'https://hangar.example',
  HANGAR_LIVE_DIR: live,
  ASTRO_CACHE_DIR: join(tempDir('build-lock-cache'), 'astro'),
  BUILD_LOCK_STALE_MS: String(STALE_MS),
};
const ownerFile = join(live, 'build-lock.owner.json');

afterAll(() => rmSync(live, { recursive: true, force: true }));

/** The pid of the astro-build.ts process `parent` runs, from /proc. */
function astroChildOf(parent: number | undefined): number | undefined {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The fields after the command name (which may hold spaces) start with state, then ppid.
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('astro-build.ts')) return Number(pid);
    } catch {
      // Exited meanwhile.
    }
  }
  return undefined;
}

describe('build-and-swap lock', { timeout: 300_000 }, () => {
  it('is taken over from a SIGKILLed build, whose partial output is removed', async () => {
    const child = spawn(process.execPath, [join(SITE_DIR, 'scripts', 'build-and-swap.ts')], { cwd: REPO_DIR, env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((done) => child.once('exit', done));
    // Mid-way: it holds the lock and Astro has begun writing into its build directory.
    const deadline = Date.now() + 120_000;
    let partial = '';
    while (!partial) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the first build never got mid-way');
      if (existsSync(ownerFile)) {
        const { outDir } = JSON.parse(readFileSync(ownerFile, 'utf8')) as { outDir: string };
        if (existsSync(outDir) && readdirSync(outDir).length > 0) partial = outDir;
      }
      await sleep(50);
    }
    const astro = astroChildOf(child.pid);
    expect(astro, 'build-and-swap runs astro build as a child').toBeDefined();
    child.kill('SIGKILL');
    await exited;
    // Its astro child stops too, at once (its stdin closes with the dead process's end of the pipe).
    const gone = Date.now() + 10_000;
    while (existsSync(`/proc/${astro}`) && Date.now() < gone) await sleep(20);
    expect(existsSync(`/proc/${astro}`), 'the orphaned astro child still runs 10 s after its parent was killed').toBe(false);
    // Killed before it recorded its build (its astro child may still finish a page or two before it
    // notices, which is why the takeover removes whatever is there).
    expect(existsSync(join(partial, RECORD_FILE))).toBe(false);

    // While its lock is fresh, the next build is refused and told who holds it.
    const refused = buildSite(env);
    expect(refused.status, refused.output).toBe(75);
    expect(refused.output).toContain(`pid ${child.pid}`);

    await sleep(STALE_MS + 500);
    const next = buildSite(env);
    expect(next.status, next.output).toBe(0);
    expect(next.output).toContain(`took over the lock of build pid ${child.pid}`);
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(join(live, 'current', 'client', 'index.html'))).toBe(true);
    expect(readlinkSync(join(live, 'current'))).not.toContain(partial.split('/').pop());
    expect(existsSync(ownerFile)).toBe(false);
  });
});
