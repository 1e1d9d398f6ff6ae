import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_FD, BUILT_LINE, spawnAstroChild } from './astro-child.ts';
import { readAstroChildOrder } from './astro-child-order.ts';
import { buildCompileCache } from './compile-cache.ts';

describe('readAstroChildOrder', () => {
  it('reads the one JSON line build-and-swap sends, even in pieces', async () => {
    const order = await readAstroChildOrder(Readable.from(['{"outDir":"/b/1","popu', 'larityFile":"/b/p.json"}\n']));
    expect(order).toEqual({ outDir: '/b/1', popularityFile: '/b/p.json' });
  });

  it('is undefined when the input ends empty (the parent never got the lock)', async () => {
    expect(await readAstroChildOrder(Readable.from([]))).toBeUndefined();
  });

  it('tells when the input ends after the order (build-and-swap died mid-build)', async () => {
    const input = new PassThrough();
    let gone = 0;
    const ordering = readAstroChildOrder(input, () => gone++);
    input.write('{"outDir":"/b/1","popularityFile":"/b/p.json"}\n');
    expect(await ordering).toEqual({ outDir: '/b/1', popularityFile: '/b/p.json' });
    expect(gone).toBe(0);
    input.end();
    await new Promise((done) => setImmediate(done));
    expect(gone).toBe(1);
  });

  it('refuses an order without its paths', async () => {
    await expect(readAstroChildOrder(Readable.from(['{"outDir":"/b/1"}']))).rejects.toThrow(/bad order/);
  });
});

describe('astro-build.ts -', () => {
  it('exits at once, printing nothing, when its stdin ends without an order', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'astro-build.ts'), '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end();
    const code = await new Promise((done) => child.once('exit', done));
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});

describe('astro-build.ts - whose parent dies', () => {
  it('stops before writing anything when its stdin ends after the order', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-astro-orphan-'));
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'astro-build.ts'), '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const outDir = join(dir, 'build');
      // What a SIGKILLed build-and-swap leaves its child: the order, then its end of the pipe closed.
      child.stdin.end(`${JSON.stringify({ outDir, popularityFile: join(dir, 'popularity.json') })}\n`);
      const code = await new Promise((done) => child.once('exit', done));
      expect(output).toContain('build-and-swap is gone');
      expect(code).toBe(1);
      expect(existsSync(outDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('spawnAstroChild', () => {
  it("starts the child with the build's compile cache and no V8 flag, so Node strips none of its TypeScript afresh and its built-in modules' code cache is not rejected", async () => {
    const child = spawnAstroChild();
    try {
      // Until the fork has exec'd node, /proc shows the environment it was forked with.
      for (let tries = 0; tries < 200 && !readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes('astro-build.ts'); tries++) await new Promise((r) => setTimeout(r, 10));
      expect(readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0')).toContain(`NODE_COMPILE_CACHE=${buildCompileCache().dir}`);
      // A V8 flag would name another cache directory than build-and-swap's, and make V8 reject the
      // code cache of Node's own modules (build-heap.ts sets the build's flag once generate starts).
      expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').slice(1, 3)).toEqual([join(import.meta.dirname, 'astro-build.ts'), '-']);
    } finally {
      await child.stop();
    }
  });
});

describe('an astro child\'s report', () => {
  /** A stand-in for astro-build.ts that runs `body` (plain JS). */
  function fakeChild(body: string): { script: string; done: () => void } {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-astro-child-'));
    const script = join(dir, 'fake-build.mjs');
    writeFileSync(script, body);
    return { script, done: () => rmSync(dir, { recursive: true, force: true }) };
  }

  it('counts the build as done when the child says so, not when it has exited', { timeout: 30_000 }, async () => {
    // Reports, then takes its time to exit (as a real one does, writing caches and freeing its heap).
    const fake = fakeChild(`import { writeSync } from 'node:fs';\nwriteSync(${BUILT_FD}, ${JSON.stringify(BUILT_LINE)});\nsetTimeout(() => undefined, 20_000);\n`);
    const child = spawnAstroChild(fake.script);
    try {
      const started = performance.now();
      expect(await child.built).toEqual({ status: 0, signal: null });
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      await child.stop();
      fake.done();
    }
  });

  it('gives the exit status of a child that exits without the report (a failed build)', { timeout: 30_000 }, async () => {
    const fake = fakeChild('process.exitCode = 3;\n');
    const child = spawnAstroChild(fake.script);
    try {
      expect(await child.built).toEqual({ status: 3, signal: null });
    } finally {
      fake.done();
    }
  });
});
