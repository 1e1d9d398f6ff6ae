import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteServer } from '../scripts/serve.ts';
import { tempDir } from './harness.ts';

/**
 * serve.ts as the CDN stand-in: static files of whatever `current` points at, the right cache
 * headers, the build's 404 page, and memory that stays flat however many builds are swapped in.
 */
const root = tempDir('serve');
const current = join(root, 'current');
const popularityFile = join(root, 'popularity.json');
const server = createSiteServer({ current, popularityFile });
let origin = '';

/** A minimal build `n` (what serve reads: client/), swapped live the way build-and-swap does it. */
function swapIn(n: number): void {
  const client = join(root, 'builds', String(n), 'client');
  mkdirSync(join(client, '_astro'), { recursive: true });
  mkdirSync(join(client, 'aircraft', 'x'), { recursive: true });
  writeFileSync(join(client, 'index.html'), `<!doctype html><title>build ${n}</title>`);
  writeFileSync(join(client, 'aircraft', 'x', 'index.html'), `<p>x in build ${n}</p>`);
  writeFileSync(join(client, '404.html'), `<h1>404 of build ${n}</h1>`);
  writeFileSync(join(client, '_astro', 'app.abc123.js'), `console.log(${n})`);
  rmSync(`${current}.tmp`, { force: true });
  symlinkSync(join('builds', String(n)), `${current}.tmp`);
  renameSync(`${current}.tmp`, current);
  if (n > 3) rmSync(join(root, 'builds', String(n - 3)), { recursive: true, force: true });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('serve.ts', () => {
  it('answers 503 before the first build, then serves the build `current` points at', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(503);
    swapIn(1);
    const home = await fetch(`${origin}/`);
    expect(await home.text()).toContain('build 1');
    expect(home.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const asset = await fetch(`${origin}/_astro/app.abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const noSlash = await fetch(`${origin}/aircraft/x`, { redirect: 'manual' });
    expect(noSlash.status).toBe(301);
    expect(noSlash.headers.get('location')).toBe('/aircraft/x/');
    const missing = await fetch(`${origin}/aircraft/nope/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('404 of build 1');
  });

  it('serves the live popularity file at /popularity.json when there is one', async () => {
    writeFileSync(popularityFile, '{"live":true}');
    const res = await fetch(`${origin}/popularity.json`);
    expect(await res.json()).toEqual({ live: true });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('keeps memory and process listeners flat over 100 swaps', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const listeners = () => process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0);
    const swapAndRead = async (n: number) => {
      swapIn(n);
      expect(await (await fetch(`${origin}/aircraft/x/`)).text()).toBe(`<p>x in build ${n}</p>`);
    };
    for (let n = 2; n < 12; n++) await swapAndRead(n); // warm up
    gc();
    const before = { heap: process.memoryUsage().heapUsed, listeners: listeners() };
    for (let n = 12; n < 112; n++) await swapAndRead(n);
    gc();
    expect(listeners()).toBe(before.listeners);
    // Loading one build's server bundle costs several MiB; 100 of them would be hundreds.
    expect(process.memoryUsage().heapUsed - before.heap).toBeLessThan(4 * 1024 * 1024);
  });
});
