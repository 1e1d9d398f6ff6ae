import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, FIXTURES, REPO_DIR, SITE_DIR, tempDir, testLiveDir } from './harness.ts';

/**
 * A killed build never blocks the next one: SIGKILL a real build mid-way (it holds the lock and
 * has started writing its output), then the next build is told who holds the lock while the lock
 * is fresh, takes it over once it is stale, removes the dead build's partial directory and swaps
 * its own build live.
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
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(partial, 'server', 'entry.mjs')) && existsSync(join(partial, 'client', 'index.html'))).toBe(false);

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
