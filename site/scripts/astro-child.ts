/**
 * The full `astro build` child (astro-build.ts) as build-and-swap runs it. It is spawned before it
 * may build: it loads Node, Astro and Vite (~0.6 s of CPU) while build-and-swap does its own
 * imports and takes the build lock, then builds once it is told where (`go`). A child never told
 * (the lock was busy, the parent failed or died) exits when its stdin closes, having written
 * nothing; its stdin stays open after the order while this process lives, so that a child whose
 * parent is SIGKILLed mid-build stops at once (astro-child-order.ts). Node built-ins (and compile-cache.ts, which has only those) only: build-and-swap.ts
 * imports this before anything else.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { buildCompileCache } from './compile-cache.ts';

/**
 * The child's file descriptor for its one report, and the report: its build is written (every
 * file, the deploy manifest last). build-and-swap records and swaps it on this line, while the child
 * exits: that took 0.1-0.3 s after the build (load ~10), in which V8 writes the compile cache's
 * entries for the build's own chunks, the threads stop and ~500 MB are handed back.
 */
export const BUILT_FD = 3;
export const BUILT_LINE = 'built\n';

/** What a finished `astro build` child exited with. */
export type Exit = { status: number | null; signal: NodeJS.Signals | null };

/** The line astro-build.ts reads on its stdin when started with `-` for its out dir. */
export interface AstroChildOrder {
  outDir: string;
  /** The snapshot copy the pages read (POPULARITY_FILE). */
  popularityFile: string;
}

export interface AstroChild {
  /** For tests: the child's process id. */
  pid: number | undefined;
  /** Lets the child build `outDir` reading `popularityFile`; once. The child stops if this process dies before it reports. */
  go(order: AstroChildOrder): void;
  /**
   * Status 0 once the child reports its build written (BUILT_LINE), or how it exited when it
   * exited first (a failed build). This process still reaps the child before it exits itself, so
   * that the build's peak memory, as `time` and the bench see it, is still the child's.
   */
  built: Promise<Exit>;
  exited: Promise<Exit>;
  /** Kills the child (a failed build or a lost lock) and waits for it. */
  stop(): Promise<Exit>;
}

/**
 * Spawns astro-build.ts waiting for its order. The environment is this process's, plus the
 * build's compile cache (compile-cache.ts) in NODE_COMPILE_CACHE: Node then has it from the
 * child's first file, and takes astro-build.ts and its TypeScript imports from the cache's
 * stripped copies. Enabled only in astro-build.ts, the cache came after its own two files, so
 * Node first loaded its TypeScript stripper (a WebAssembly module) to strip them: ~40-90 ms
 * before the child's first line, on the way to every full build's first page. No V8 flag on the
 * command line: Node's built-in modules then come from the code cache they ship with
 * (build-heap.ts sets the build's one flag once generate starts).
 */
export function spawnAstroChild(script = join(import.meta.dirname, 'astro-build.ts')): AstroChild {
  const env = { ...process.env, NODE_COMPILE_CACHE: buildCompileCache().dir };
  const child = spawn(process.execPath, [script, '-'], { stdio: ['pipe', 'inherit', 'inherit', 'pipe'], env });
  const exited = new Promise<Exit>((done) => {
    child.once('error', () => done({ status: 1, signal: null }));
    child.once('exit', (status, signal) => done({ status, signal }));
  });
  const stdin = child.stdio[0] as Writable;
  const report = child.stdio[BUILT_FD] as Readable;
  report.on('error', () => undefined);
  const built = new Promise<Exit>((done) => {
    let said = '';
    report.on('data', (chunk: Buffer) => {
      said += chunk.toString('utf8');
      if (!said.includes(BUILT_LINE)) return;
      report.destroy();
      done({ status: 0, signal: null });
    });
    void exited.then(done);
  });
  // A child that exited before its order (it failed to start) must not crash this process with EPIPE.
  stdin.on('error', () => undefined);
  return {
    pid: child.pid,
    go(order) {
      stdin.write(`${JSON.stringify(order)}\n`);
    },
    built,
    exited,
    stop: () => {
      child.kill();
      return exited;
    },
  };
}
