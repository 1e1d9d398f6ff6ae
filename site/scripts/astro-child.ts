/**
 * The full `astro build` child (astro-build.ts) as build-and-swap runs it. It is spawned before it
 * may build: it loads Node, Astro and Vite (~0.6 s of CPU) while build-and-swap does its own
 * imports and takes the build lock, then builds once it is told where (`go`). A child never told
 * (the lock was busy, the parent failed or died) exits when its stdin closes, having written
 * nothing. Node built-ins (and compile-cache.ts, which has only those) only: build-and-swap.ts
 * imports this before anything else.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildCompileCache } from './compile-cache.ts';

/** V8 flags of the build (astro-build.ts says why), on the child's command line so that they precede its compile cache. */
export const ASTRO_BUILD_V8_FLAGS = ['--heap-growing-percent=100'];

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
  /** Lets the child build `outDir` reading `popularityFile`; once. */
  go(order: AstroChildOrder): void;
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
 * before the child's first line, on the way to every full build's first page.
 */
export function spawnAstroChild(): AstroChild {
  const script = join(import.meta.dirname, 'astro-build.ts');
  const env = { ...process.env, NODE_COMPILE_CACHE: buildCompileCache().dir };
  const child = spawn(process.execPath, [...ASTRO_BUILD_V8_FLAGS, script, '-'], { stdio: ['pipe', 'inherit', 'inherit'], env });
  const exited = new Promise<Exit>((done) => {
    child.once('error', () => done({ status: 1, signal: null }));
    child.once('exit', (status, signal) => done({ status, signal }));
  });
  // A child that exited before its order (it failed to start) must not crash this process with EPIPE.
  child.stdin.on('error', () => undefined);
  return {
    pid: child.pid,
    go(order) {
      child.stdin.end(`${JSON.stringify(order)}\n`);
    },
    exited,
    stop: () => {
      child.kill();
      return exited;
    },
  };
}
