import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { shownSignature, type Popularity } from '@hangarstack/shared';
import { askWorker, liveRootOf, rebuildSocket, siteEnvOf, type RebuildAnswer } from '@hangarstack/shared/rebuild-worker';
import { buildEnvironment } from './build-env.ts';
import type { RebuildHookConfig } from './config.ts';
import { FailureBackoff, type BackoffOptions } from './rebuild-backoff.ts';
import type { ConsumerMetrics } from './metrics.ts';
import type { EmitSystemEvent } from '../transport/system-events/emitter.ts';

/** Something that rebuilds the site; resolves true when the new site is live. */
export interface RebuildHook {
  readonly describe: string;
  /** `dataChanges`: the `kind:slug` records changed since the live build (empty for popularity-only). */
  run(context?: { dataChanges: readonly string[] }): Promise<boolean>;
  /** Why the last run failed, in a line (exit code and last output), for rebuild.failed. */
  lastFailure?(): string;
}

export interface TriggerOptions {
  /** Wait this long after the last change before building (changes keep arriving in bursts). */
  debounceMs: number;
  /** Never start two builds closer than this; nor sooner after a build ends than that build took. */
  minIntervalMs: number;
  /** …but never let a change wait longer than this, however busy the stream. */
  maxStalenessMs: number;
  /** After failed builds, wait this long (growing per failure in a row) before the next; this wins over maxStalenessMs. */
  failureBackoff: BackoffOptions;
}

/**
 * Decides when to rebuild: only when what the pages show would change (`shownSignature`, computed
 * from origin-capped visitors, so a client minting visitors or views cannot change it beyond its
 * cap), debounced, at most once per `minIntervalMs` or per the last build's duration if that was
 * longer (builds never run back to back, however the stream is driven), and at the latest
 * `maxStalenessMs` after the first unbuilt change. One build at a time; a change during a build schedules the next one. A failed build
 * leaves the previous signature in place, so the change is retried, after a backoff that grows with
 * each failure in a row (rebuild-backoff.ts): a build broken by bad data or code must not run back
 * to back. Newly published data skips the wait, since it may be the fix.
 */
export class RebuildTrigger {
  readonly #hook: RebuildHook;
  readonly #o: TriggerOptions;
  readonly #metrics: ConsumerMetrics;
  readonly #log: Logger;
  readonly #now: () => number;
  #built: string;
  #wanted: string;
  #dirtySince: number | undefined;
  #lastStart = -Infinity;
  #lastEnd = -Infinity;
  #lastDurationMs = 0;
  /** No build before this, because the last ones failed. */
  #retryAt = -Infinity;
  readonly #backoff: FailureBackoff;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #onBuilt: (signature: string) => void;
  readonly #emit: EmitSystemEvent;
  /** `kind:slug` of data updates not in a live build yet. */
  readonly #dataPending = new Set<string>();

  constructor(
    hook: RebuildHook,
    options: TriggerOptions,
    deps: { metrics: ConsumerMetrics; log: Logger; builtSignature: string; onBuilt?: (signature: string) => void; now?: () => number; systemEvents?: EmitSystemEvent; random?: () => number },
  ) {
    this.#hook = hook;
    this.#o = options;
    this.#metrics = deps.metrics;
    this.#log = deps.log;
    this.#now = deps.now ?? Date.now;
    this.#built = deps.builtSignature;
    this.#wanted = deps.builtSignature;
    this.#onBuilt = deps.onBuilt ?? (() => undefined);
    this.#emit = deps.systemEvents ?? (() => undefined);
    this.#backoff = new FailureBackoff(options.failureBackoff, deps.random);
  }

  /** Feed every published snapshot here. */
  observe(popularity: Popularity): void {
    const signature = shownSignature(popularity);
    if (signature === this.#wanted && (this.#timer || this.#running || signature === this.#built)) return;
    this.#wanted = signature;
    if (signature === this.#built && this.#dataPending.size === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#dirtySince = undefined;
      this.#reportPending();
      return;
    }
    this.#dirtySince ??= this.#now();
    this.#schedule();
  }

  /**
   * Published data changed (hangarstack.data.updates): build with the same debounce and limits,
   * handing the changed records to the hook so a targeted rebuild can re-render just their pages.
   */
  dataChanged(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const fresh = keys.filter((key) => !this.#dataPending.has(key));
    if (fresh.length > 0 && this.#retryAt > this.#now()) {
      this.#log.info({ records: fresh.slice(0, 5) }, 'new data published: not waiting out the failure backoff (it may be the fix)');
      this.#retryAt = -Infinity;
    }
    for (const key of keys) this.#dataPending.add(key);
    this.#dirtySince ??= this.#now();
    this.#schedule();
  }

  /** Resolves when no build is running or scheduled (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.#running || this.#timer) {
      await (this.#running ?? sleep(20));
    }
  }

  /** Cancels a scheduled build and waits for a running one, so shutdown never orphans a build. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopped = true;
    await this.#running;
    this.#reportPending();
  }

  /** The pending gauge: a change the live site does not show yet is scheduled or being built. */
  #reportPending(): void {
    this.#metrics.rebuildPending.set(this.#timer || this.#running ? 1 : 0);
  }

  #schedule(): void {
    if (this.#running || this.#stopped) return; // re-checked when the running build ends
    clearTimeout(this.#timer);
    const now = this.#now();
    const earliest = Math.max(this.#lastStart + this.#o.minIntervalMs, this.#lastEnd + this.#lastDurationMs, this.#retryAt);
    const latest = (this.#dirtySince ?? now) + this.#o.maxStalenessMs;
    const at = Math.max(earliest, Math.min(now + this.#o.debounceMs, latest));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#build().finally(() => {
        this.#running = undefined;
        if (this.#wanted !== this.#built || this.#dataPending.size > 0) this.#schedule();
        this.#reportPending();
      });
    }, Math.max(0, at - now));
    this.#reportPending();
  }

  async #build(): Promise<void> {
    const signature = this.#wanted;
    this.#lastStart = this.#now();
    this.#metrics.rebuildsRequested.inc();
    this.#log.info({ hook: this.#hook.describe }, 'shown popularity changed: rebuilding the site');
    const dataChanges = [...this.#dataPending].sort();
    const reason = dataChanges.length > 0 ? `data changed: ${dataChanges.slice(0, 5).join(', ')}${dataChanges.length > 5 ? ` and ${dataChanges.length - 5} more` : ''}` : 'shown popularity changed';
    this.#emit('rebuild.requested', { hook: this.#hook.describe, reason });
    const started = this.#now();
    let ok = false;
    let failure: string | undefined;
    try {
      ok = await this.#hook.run({ dataChanges });
    } catch (error) {
      failure = `the hook threw: ${(error as Error).message}`;
      this.#log.error({ err: (error as Error).message }, 'rebuild hook threw');
    }
    this.#lastEnd = this.#now();
    const durationMs = Math.round(this.#lastEnd - started);
    this.#lastDurationMs = durationMs;
    const seconds = durationMs / 1000;
    this.#metrics.rebuildDuration.set(seconds);
    if (ok) {
      this.#built = signature;
      for (const key of dataChanges) this.#dataPending.delete(key);
      if (this.#wanted === signature && this.#dataPending.size === 0) this.#dirtySince = undefined;
      this.#backoff.succeeded();
      this.#retryAt = -Infinity;
      this.#metrics.rebuildBackoff.set(0);
      this.#metrics.rebuildsSucceeded.inc();
      this.#onBuilt(signature);
      this.#log.info({ seconds: Math.round(seconds * 10) / 10 }, 'rebuild succeeded; the new site is live');
      this.#emit('rebuild.succeeded', { durationMs });
    } else {
      const waitMs = this.#backoff.failed();
      this.#retryAt = this.#lastEnd + waitMs;
      this.#metrics.rebuildBackoff.set(waitMs / 1000);
      this.#metrics.rebuildsFailed.inc();
      this.#emit('rebuild.failed', { durationMs, error: (failure ?? this.#hook.lastFailure?.() ?? 'the hook reported failure').slice(0, 2_000) });
      this.#log.error(
        { seconds: Math.round(seconds * 10) / 10, failuresInARow: this.#backoff.failures, retryInSeconds: Math.round(waitMs / 100) / 10 },
        'rebuild failed; the previous site keeps serving',
      );
    }
  }
}

/**
 * Runs a local command (default: build the site into a new dir and swap it in atomically) with a
 * minimal environment (build-env.ts: no Kafka password, no hook token) plus `env`.
 *
 * `siteWorker` (the command is the site's own build-and-swap.ts): a popularity-only change is first
 * offered to the site's render worker over its socket (@hangarstack/shared/rebuild-worker), which
 * is what that command does first itself; the command runs only when no worker answers or the
 * worker hands the rebuild back. Under load, starting the command's shell and Node took
 * 0.3-2 s of a rebuild the worker does in 0.1-0.5 s.
 */
export function commandHook(command: string, env: Record<string, string>, log: Logger, options: { siteWorker?: boolean } = {}): RebuildHook {
  let tail: string[] = [];
  let failure = '';
  const keep = (line: string): void => {
    log.info({ rebuild: line });
    // The last lines usually say why a build failed; kept for the rebuild.failed event.
    tail = [...tail.slice(-4), line.slice(0, 300)];
  };
  /** The worker's rebuild, or undefined when the command must run. */
  const throughWorker = async (commandEnv: Record<string, string>): Promise<boolean | undefined> => {
    const socket = rebuildSocket(liveRootOf(commandEnv, process.cwd()));
    const answer = await askWorker<RebuildAnswer>(socket, { op: 'rebuild', env: siteEnvOf(commandEnv), cwd: process.cwd() });
    if (!answer || !('code' in answer)) return undefined;
    tail = [];
    for (const line of `${answer.stdout}${answer.stderr}`.split('\n')) if (line) keep(line);
    failure = `render worker exit ${answer.code}: ${tail.join(' | ')}`;
    return answer.code === 0;
  };
  return {
    describe: `command: ${command}`,
    lastFailure: () => failure,
    run: async (context) => {
      // The changed records, for a rebuild that re-renders only their pages and lists.
      const changes = { HANGAR_DATA_CHANGES: (context?.dataChanges ?? []).join(',') };
      const commandEnv = { ...buildEnvironment(process.env), ...env, ...changes };
      if (options.siteWorker && changes.HANGAR_DATA_CHANGES === '') {
        const built = await throughWorker(commandEnv);
        if (built !== undefined) return built;
      }
      return new Promise<boolean>((done) => {
        tail = [];
        const child = spawn('sh', ['-c', command], { env: commandEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', keep);
        child.once('error', (error) => {
          failure = `could not start: ${error.message}`;
          done(false);
        });
        child.once('exit', (code, signal) => {
          failure = `exit ${code ?? signal}: ${tail.join(' | ')}`;
          done(code === 0);
        });
      });
    },
  };
}

/**
 * Calls an HTTP build hook (GitHub repository_dispatch, Netlify/Vercel/Cloudflare deploy hooks)
 * with retries and exponential backoff on network errors, 429 and 5xx. Logged and reported by
 * origin only: a deploy hook's path is its secret.
 */
export function httpHook(
  options: { url: string; method: string; headers: Record<string, string>; body: string | undefined; retries: number; backoffMs: number },
  log: Logger,
): RebuildHook {
  return {
    describe: `http: ${options.method} ${new URL(options.url).origin}`,
    async run() {
      for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (attempt > 0) await sleep(options.backoffMs * 2 ** (attempt - 1));
        try {
          const res = await fetch(options.url, { method: options.method, headers: options.headers, body: options.body ?? null, signal: AbortSignal.timeout(15_000) });
          if (res.ok) return true;
          log.warn({ status: res.status, attempt }, 'build hook answered with an error');
          if (res.status < 500 && res.status !== 429) return false;
        } catch (error) {
          // The message can quote the URL (and so its secret path): log the error's kind only.
          log.warn({ err: (error as Error).name, attempt }, 'build hook unreachable');
        }
      }
      return false;
    },
  };
}

/** The hook the configuration names; a command hook gets `env` on top of its minimal environment. */
export function rebuildHookFrom(config: RebuildHookConfig, env: Record<string, string>, log: Logger): RebuildHook {
  return config.kind === 'http'
    ? httpHook({ url: config.url, method: config.method, headers: config.headers, body: config.body, retries: config.retries, backoffMs: 1_000 }, log)
    : commandHook(config.command, env, log.child({ component: 'rebuild' }), { siteWorker: config.siteWorker });
}
