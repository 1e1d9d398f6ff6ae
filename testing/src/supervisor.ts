import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceSpec {
  /** Short label that prefixes every output line, e.g. `collector`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
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
}

/**
 * Starts a child process whose output is prefixed with its name (so three services in one
 * terminal stay readable), and waits until its ready URL answers. Used by `./hangar start` and
 * by the end-to-end tests, so both run the services exactly the same way.
 */
export async function startService(spec: ServiceSpec, out: (line: string) => void = console.log): Promise<RunningService> {
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const label = spec.name.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => out(`${label}│ ${line}`));
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };

  if (spec.readyUrl) {
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
    let ready = false;
    while (!ready) {
      if (child.exitCode !== null) throw new Error(`${spec.name} exited with code ${child.exitCode} before it was ready; its output is above`);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${spec.name} did not answer ${spec.readyUrl} within ${spec.readyTimeoutMs ?? 60_000} ms`);
      }
      ready = await fetch(spec.readyUrl, { signal: AbortSignal.timeout(2_000) })
        .then((res) => res.ok)
        .catch(() => false);
      if (!ready) await sleep(150);
    }
  }
  return { name: spec.name, child, stop, kill, exited };
}

/** Runs a command to completion with prefixed output; rejects with a clear message on failure. */
export async function runStep(name: string, command: string, args: string[], env: Record<string, string | undefined> = {}, out: (line: string) => void = console.log): Promise<void> {
  const service = await startService({ name, command, args, env }, out);
  const code = await service.exited;
  if (code !== 0) throw new Error(`${name} failed (exit ${code}); its output is above`);
}
