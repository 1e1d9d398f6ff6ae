/**
 * Starts the real collector and consumer as child processes for the drills, each with its own
 * temp dirs and ports, and kills them the way a crash would (SIGKILL) or politely (SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@hangarstack/testing/free-port';
import { collectorEntry, consumerEntry } from '@hangarstack/collector/entries';
export { freePort };

const ROOT = join(import.meta.dirname, '..', '..');

/** A running child service. */
export interface Service {
  readonly name: string;
  readonly url: string;
  readonly proc: ChildProcess;
  /** Peak resident memory so far (VmHWM, kB), or NaN when /proc is unreadable. */
  peakRssKb(): Promise<number>;
  /** Current resident memory (VmRSS, kB). */
  rssKb(): Promise<number>;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function procStatus(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const { readFile } = await import('node:fs/promises');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Polls `url` until it answers 2xx or `timeoutMs` passes; throws with the child's output on failure. */
async function waitHealthy(url: string, proc: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${url}: the process exited with ${proc.exitCode} before it was healthy:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} was not healthy within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `node <entry>` with `env` and waits for `healthPath` on `port`. */
export async function startService(name: string, entry: string, env: Record<string, string>, port: number, healthPath = '/healthz'): Promise<Service> {
  const proc = spawn(process.execPath, ['--no-warnings', entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url + healthPath, proc, () => tail, 60_000);
  return {
    name,
    url,
    proc,
    peakRssKb: () => procStatus(proc.pid, 'VmHWM'),
    rssKb: () => procStatus(proc.pid, 'VmRSS'),
    alive: () => proc.exitCode === null && proc.signalCode === null,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const forced = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/** Where one drill keeps its state: unique topics and group so drills never see each other's records. */
export interface PipelineEnv {
  brokers: string;
  dir: string;
  topics: { views: string; searches: string };
  group: string;
}

/** Starts the collector against Kafka with a high rate limit (all load comes from one address). */
export async function startCollector(p: PipelineEnv, extra: Record<string, string> = {}, port?: number): Promise<Service> {
  const chosen = port ?? (await freePort());
  return startService('collector', collectorEntry, {
    PORT: String(chosen),
    KAFKA_BROKERS: p.brokers,
    SPOOL_DIR: join(p.dir, 'spool'),
    SALT_DIR: join(p.dir, 'salts'),
    EMBEDDED_LOG_PATH: join(p.dir, 'events.db'),
    KAFKA_TOPIC_VIEWS: p.topics.views,
    KAFKA_TOPIC_SEARCHES: p.topics.searches,
    CORS_ORIGINS: 'http://bench.invalid',
    AIRCRAFT_DATA_DIR: join(ROOT, 'data', 'aircraft'),
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_BURST: '100000000',
    ...extra,
  }, chosen);
}

/** Starts the popularity consumer (no rebuilds) publishing to `<dir>/popularity.json`. */
export async function startConsumer(p: PipelineEnv, extra: Record<string, string> = {}): Promise<Service> {
  const port = await freePort();
  return startService('consumer', consumerEntry, {
    METRICS_PORT: String(port),
    KAFKA_BROKERS: p.brokers,
    POPULARITY_FILE: join(p.dir, 'popularity.json'),
    CONSUMER_STATE_DIR: join(p.dir, 'consumer'),
    CONSUMER_GROUP: p.group,
    KAFKA_TOPIC_VIEWS: p.topics.views,
    KAFKA_TOPIC_SEARCHES: p.topics.searches,
    EMBEDDED_LOG_PATH: join(p.dir, 'consumer-events.db'),
    PUBLISH_INTERVAL_MS: '200',
    K_ANONYMITY: '1',
    REBUILD: 'off',
    ...extra,
  }, port);
}
