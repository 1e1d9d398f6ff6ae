import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceSpec {
  /** Short label that prefixes every output line, e.g. `collector`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** URL that answers 2xx once the service is ready (e.g. its /healthz). */
  readyUrl?: string;
  readyTimeoutMs?: number;
}

export interface RunningService {
  readonly name: string;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL: a crash, for drills and tests. */
  kill(): Promise<void>;
  /** Resolves when the process exits on its own or is stopped. */
  readonly exited: Promise<number | null>;
  /** True while the process has not exited. */
  alive(): boolean;
  /** The last few KB the process printed (for failure messages). */
  tail(): string;
  /** Current resident memory (VmRSS, kB), or NaN when /proc is unreadable. */
  rssKb(): Promise<number>;
  /** Peak resident memory so far (VmHWM, kB), or NaN when /proc is unreadable. */
  peakRssKb(): Promise<number>;
}

const TAIL_CHARS = 4_000;

async function procStatus(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * The one process supervisor: starts a child whose output lines go to `out` prefixed with its
 * name (so three services in one terminal stay readable) and are kept as a tail for error
 * messages, waits until its ready URL answers, and stops it with SIGTERM falling back to SIGKILL.
 * `./hangar start`, the end-to-end, site and integration tests and the bench all run processes
 * through it, so they run the services exactly the same way.
 */
export async function startService(spec: ServiceSpec, out: (line: string) => void = console.log): Promise<RunningService> {
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
  });
  const label = spec.name.padEnd(9);
  let tail = '';
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail = `${tail}${line}\n`.slice(-TAIL_CHARS);
      out(`${label}│ ${line}`);
    });
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;

  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (!alive()) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async (): Promise<void> => {
    if (!alive()) return;
    child.kill('SIGKILL');
    await exited;
  };

  if (spec.readyUrl) {
    const timeoutMs = spec.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (!ready) {
      if (!alive()) throw new Error(`${spec.name} exited with code ${child.exitCode ?? child.signalCode} before it was ready:\n${tail}`);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${spec.name} did not answer ${spec.readyUrl} within ${timeoutMs} ms:\n${tail}`);
      }
      ready = await fetch(spec.readyUrl, { signal: AbortSignal.timeout(2_000) })
        .then((res) => res.ok)
        .catch(() => false);
      if (!ready) await sleep(100);
    }
  }
  return {
    name: spec.name,
    child,
    stop,
    kill,
    exited,
    alive,
    tail: () => tail,
    rssKb: () => procStatus(child.pid, 'VmRSS'),
    peakRssKb: () => procStatus(child.pid, 'VmHWM'),
  };
}

/** Runs a command to completion with prefixed output; rejects with a clear message on failure. */
export async function runStep(name: string, command: string, args: string[], env: Record<string, string | undefined> = {}, out: (line: string) => void = console.log): Promise<void> {
  const service = await startService({ name, command, args, env }, out);
  const code = await service.exited;
  if (code !== 0) throw new Error(`${name} failed (exit ${code}); its output is above`);
}

/**
 * Runs `work` against running services; when it fails, the error says which of them had exited
 * and what each printed last. A test whose services drop their output (the default of the
 * starters) would otherwise fail with only "fetch failed: ECONNREFUSED" and nothing to go on.
 */
export async function explainingExits<T>(services: readonly RunningService[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const exited = services.filter((s) => !s.alive());
    if (exited.length === 0) throw error;
    const said = exited.map((s) => `${s.name} exited (code ${s.child.exitCode ?? s.child.signalCode}); it said last:\n${s.tail()}`).join('\n');
    throw new Error(`${(error as Error).message}\n${said}`, { cause: error });
  }
}
