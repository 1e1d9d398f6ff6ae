import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runStep, startService, type RunningService } from '@hangarstack/testing/supervisor';
import { freePort } from '@hangarstack/testing/free-port';
import { collectorEntry, consumerEntry, consumerNodeArgs } from '@hangarstack/collector/entries';
import { stackEnv } from '../stack-env.ts';
import { watchAndPublish } from '../data/watch.ts';

export interface StackOptions {
  /** Kafka brokers, or undefined for the embedded durable log. */
  kafkaBrokers?: string | undefined;
  kAnonymity: number;
  /** Prefix for Kafka topics and group, so runs never share state. */
  runId: string;
  /** Consumer variables over the test defaults (the loop bench shortens the debounce). */
  consumer?: Record<string, string>;
}

export interface Stack {
  dir: string;
  dataDir: string;
  popularityFile: string;
  siteUrl: string;
  collectorUrl: string;
  consumerUrl: string;
  /** This run's topics in Kafka mode; undefined on the embedded log. */
  topics: { views: string; searches: string; dataUpdates: string; systemEvents: string; activity: string } | undefined;
  services: RunningService[];
  /** Lines the services printed (for failure messages). */
  output: string[];
  /** The environment the services share (log or brokers and topics), e.g. to run `./hangar events` against this stack. */
  env: Record<string, string | undefined>;
  /** Stops the services, then removes the stack's dirs (its temp dir and live dir). */
  stop(): Promise<void>;
}

/**
 * The whole loop as `./hangar start` runs it, in a temp dir with free ports: an initial site
 * build swapped live, the site server, the collector and the consumer (rebuilding through the
 * default build-and-swap command), on Kafka or the embedded log. The data dir is a copy of
 * data/, so a test can break it to make a rebuild fail.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-e2e-'));
  const dataDir = join(dir, 'data');
  // Inside site/ so the built server's bare imports resolve from the workspace's node_modules.
  const liveDir = resolve('site', '.live', `e2e-${options.runId}`);
  cpSync('data', dataDir, { recursive: true });
  const [sitePort, collectorPort, consumerPort] = [await freePort(), await freePort(), await freePort()];
  const topics = options.kafkaBrokers
    ? { views: `e2e.views.${options.runId}`, searches: `e2e.searches.${options.runId}`, dataUpdates: `e2e.data.${options.runId}`, systemEvents: `e2e.system.${options.runId}`, activity: `e2e.activity.${options.runId}` }
    : undefined;
  const wiring = stackEnv({
    stateDir: dir,
    ports: { site: sitePort, collector: collectorPort, consumer: consumerPort },
    siteHost: '127.0.0.1',
    kafkaBrokers: options.kafkaBrokers,
    topics,
    dataDir,
    liveDir,
    // Each test visitor reaches the collector through its own loopback proxy, which appends the
    // visitor's address to X-Forwarded-For (testing/src/forwarding-proxy.ts): distinct clients.
    collector: { TRUSTED_PROXIES: 'loopback' },
    consumer: {
      CONSUMER_GROUP: `e2e-${options.runId}`,
      K_ANONYMITY: String(options.kAnonymity),
      PUBLISH_INTERVAL_MS: '200',
      REBUILD_DEBOUNCE_MS: '1500',
      REBUILD_MIN_INTERVAL_MS: '0',
      REBUILD_MAX_STALENESS_MS: '10000',
      ...options.consumer,
    },
  });
  const { siteUrl, collectorUrl, consumerUrl } = wiring;
  const output: string[] = [];
  const out = (line: string): void => void output.push(line);
  const node = process.execPath;
  const quiet = '--disable-warning=TimeoutNegativeWarning';

  const removeDirs = (): void => {
    for (const made of [liveDir, dir]) rmSync(made, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  try {
    await runStep('build', node, ['site/scripts/build-and-swap.ts'], wiring.build, out);
  } catch (error) {
    removeDirs();
    throw new Error(`${(error as Error).message}\n${output.slice(-40).join('\n')}`, { cause: error });
  }
  // As `./hangar start` does: data/ published now and on every save (hangarstack.data.updates).
  const dataWatcher = await watchAndPublish(wiring.build, dataDir, out);
  const services: RunningService[] = [];
  const stop = async (): Promise<void> => {
    dataWatcher.close();
    // The consumer waits for a rebuild it started before it exits; give it the time a build takes.
    for (const s of services.reverse()) await s.stop(120_000);
    removeDirs();
  };
  try {
    services.push(await startService({ name: 'collector', command: node, args: [quiet, collectorEntry], env: wiring.collector, readyUrl: `${collectorUrl}/healthz` }, out));
    services.push(await startService({ name: 'consumer', command: node, args: [quiet, ...consumerNodeArgs, consumerEntry], env: wiring.consumer, readyUrl: `${consumerUrl}/healthz` }, out));
    services.push(await startService({ name: 'site', command: node, args: ['site/scripts/serve.ts'], env: wiring.site, readyUrl: `${siteUrl}/` }, out));
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-40).join('\n')}`, { cause: error });
  }
  return { dir, dataDir, popularityFile: wiring.popularityFile, siteUrl, collectorUrl, consumerUrl, topics, services, output, env: wiring.build, stop };
}

/** A counter's value from a Prometheus exposition (0 when absent). */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}
