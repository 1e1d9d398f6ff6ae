/**
 * Builds the Go validators the deploy checks need into `.tools/go-bin/` (gitignored), once:
 * - `actionlint`, pinned, from the Go module proxy (`go install …@version`);
 * - `hangar-validate`, our own small program in deploy/tools/validate (Kubernetes manifests
 *   strict-decoded into the real k8s.io/api types, Dockerfiles through BuildKit's parser and
 *   linter, compose.yaml through compose-go), from its committed go.mod/go.sum.
 * A stamp per tool records what it was built from, so a version or source change rebuilds it.
 * A lock directory keeps parallel test files from building the same binary twice.
 *
 *   node deploy/tools/go-tools.ts     build what is missing and print the paths
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the binaries go; .tools/ is gitignored. */
export const GO_BIN = join(ROOT, '.tools', 'go-bin');
const VALIDATE_SRC = join(ROOT, 'deploy', 'tools', 'validate');
/** Pinned so CI and laptops lint with the same rules. */
export const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.7';

export type GoTool = 'actionlint' | 'hangar-validate';

function validateSourceHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(VALIDATE_SRC).sort()) {
    if (/\.(go|mod|sum)$/.test(name)) hash.update(name).update(readFileSync(join(VALIDATE_SRC, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

function goBinary(): string {
  for (const candidate of [process.env.GO, 'go', '/usr/local/go/bin/go']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('Go 1.24+ is needed to build the deploy validators (actionlint, hangar-validate): install Go (apt-get install golang-go, or actions/setup-go in CI) or set GO=/path/to/go.');
}

function build(tool: GoTool, go: string): void {
  const env = { ...process.env, GOBIN: GO_BIN, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' };
  if (tool === 'actionlint') execFileSync(go, ['install', ACTIONLINT_MODULE], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  else execFileSync(go, ['build', '-mod=readonly', '-o', join(GO_BIN, tool), '.'], { cwd: VALIDATE_SRC, env, stdio: ['ignore', 'ignore', 'pipe'] });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Path of `tool`, building it first when missing or stale. Synchronous: call it in beforeAll. */
export function ensureGoTool(tool: GoTool): string {
  const binary = join(GO_BIN, tool);
  const stampFile = `${binary}.stamp`;
  const wanted = tool === 'actionlint' ? ACTIONLINT_MODULE : validateSourceHash();
  const fresh = () => existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted;
  if (fresh()) return binary;
  mkdirSync(GO_BIN, { recursive: true });
  const lock = `${binary}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building it; a lock older than 15 minutes is from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone already
      }
      sleepSync(500);
      if (fresh()) return binary;
    }
  }
  try {
    if (fresh()) return binary;
    const started = performance.now();
    build(tool, goBinary());
    writeFileSync(stampFile, wanted);
    console.log(`deploy/tools: built ${tool} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return binary;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const tool of ['actionlint', 'hangar-validate'] as const) console.log(ensureGoTool(tool));
}
