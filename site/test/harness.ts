import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths the site tests use. */
export const SITE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(SITE_DIR, '..');
export const FIXTURES = join(SITE_DIR, 'test', 'fixtures');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh temp dir for one test file. */
export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `hangar-site-${name}-`));

/**
 * A fresh live dir (HANGAR_LIVE_DIR) for a test build. It must sit inside site/, because the
 * built server imports its dependencies (zod, …) from site/node_modules by walking up.
 */
export function testLiveDir(name: string): string {
  mkdirSync(join(SITE_DIR, '.live', 'tests'), { recursive: true });
  return mkdtempSync(join(SITE_DIR, '.live', 'tests', `${name}-`));
}

/** Runs build-and-swap.ts synchronously with `env` (and `args`, e.g. --full); returns exit status and output. */
export function buildSite(env: Record<string, string>, args: string[] = []): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(SITE_DIR, 'scripts', 'build-and-swap.ts'), ...args], {
    cwd: REPO_DIR,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** Starts a Node process and resolves once `readyUrl` answers 200 (or rejects after 30 s). */
export async function startProcess(script: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], { cwd: REPO_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(readyUrl).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`${script} did not answer ${readyUrl} within 30 s:\n${output}`);
}

/** Stops a child process and waits for it to exit. */
export function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
