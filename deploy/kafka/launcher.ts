import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '@hangarstack/testing/free-port';

const here = import.meta.dirname;
const libDir = join(here, 'lib');
const pomPath = join(here, 'pom.xml');

export interface KafkaLaunchOptions {
  /** Directory for the broker's logs and config; a fresh temp dir when absent. */
  dataDir?: string;
  /** PLAINTEXT port on 127.0.0.1; 0 picks a free one. Default 9092. */
  port?: number;
  /** CONTROLLER port on 127.0.0.1; 0 picks a free one. Default port + 1 (or free when port is 0). */
  controllerPort?: number;
  /** JVM heap ceiling in MiB. Default 384: plenty for a test broker on a 2-core machine. */
  heapMb?: number;
  /** Partitions for auto-created topics. Default 3. */
  partitions?: number;
  /** Give up waiting for the broker after this long. Default 90 s (first start JITs a lot). */
  readyTimeoutMs?: number;
  /** Progress lines (jar download, format, ready). Default: stderr. */
  log?: (line: string) => void;
}

export interface KafkaBroker {
  /** `host:port` for clients. */
  readonly brokers: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Milliseconds from spawn to the first successful metadata call. */
  readonly startMs: number;
  /** SIGTERM, wait for a clean shutdown (SIGKILL after 30 s). Keeps the data dir. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, for fault drills. Keeps the data dir. */
  kill(): Promise<void>;
  /** Start again on the same data dir and ports (after stop or kill). */
  restart(): Promise<void>;
  /** stop() and delete the data dir when it was a temp dir. */
  close(): Promise<void>;
}

/** Why the broker cannot run here, in words that say what to do; null when it can. */
export function kafkaUnavailableReason(): string | null {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error) return 'Java is not installed: install a JDK 17+ (for example `apt-get install openjdk-17-jre-headless`).';
  const match = /version "(\d+)/.exec(java.stderr);
  const major = match?.[1] ? Number(match[1]) : 0;
  if (major < 17) return `Java ${major || '?'} found, Apache Kafka 4 needs Java 17+.`;
  if (!jarsReady() && spawnSync('mvn', ['-v']).error) {
    return 'Maven is not installed: it fetches the broker jars once (`apt-get install maven`).';
  }
  return null;
}

/** Starts a single-node KRaft broker (broker + controller in one JVM) on loopback. */
export async function startKafka(options: KafkaLaunchOptions = {}): Promise<KafkaBroker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`kafka: ${line}\n`));
  const reason = kafkaUnavailableReason();
  if (reason) throw new Error(`Cannot start Apache Kafka: ${reason}`);
  ensureJars(log);

  const tempDir = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? join(tmpdir(), `hangarstack-kafka-${process.pid}-${Date.now()}`));
  const port = options.port === 0 ? await freePort() : (options.port ?? 9092);
  const controllerPort =
    options.controllerPort === 0 || (options.controllerPort === undefined && options.port === 0)
      ? await freePort()
      : (options.controllerPort ?? port + 1);
  const brokers = `127.0.0.1:${port}`;
  const heapMb = options.heapMb ?? 384;

  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const configPath = join(dataDir, 'server.properties');
  writeFileSync(configPath, serverProperties({ dataDir, port, controllerPort, partitions: options.partitions ?? 3 }));
  const jvm = [
    `-Xms64m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${dataDir}`,
    '-cp',
    `${libDir}/*`,
  ];

  log(`formatting storage in ${dataDir}`);
  const format = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', configPath], {
    encoding: 'utf8',
  });
  if (format.status !== 0) {
    throw new Error(`kafka-storage format failed (exit ${format.status}):\n${format.stdout}${format.stderr}`);
  }

  let child: ChildProcess | undefined;
  let startMs = 0;
  const launch = async (): Promise<void> => {
    const out = openSync(join(dataDir, 'broker.out'), 'a');
    const started = performance.now();
    child = spawn('java', [...jvm, 'kafka.Kafka', configPath], { stdio: ['ignore', out, out] });
    closeSync(out);
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code, signal) =>
        reject(new Error(`broker exited during start-up (code ${code}, signal ${signal}); see ${join(dataDir, 'broker.out')}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitUntilAnswering(brokers, options.readyTimeoutMs ?? 90_000), exited]);
    startMs = Math.round(performance.now() - started);
    log(`broker ready at ${brokers} in ${startMs} ms (pid ${child.pid})`);
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((done) => proc.once('exit', () => done()));
    proc.kill(signal);
    const forced = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(forced);
  };

  await launch();
  const stopOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', stopOnExit);

  return {
    brokers,
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    get startMs() {
      return startMs;
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGTERM');
      await launch();
    },
    close: async () => {
      await halt('SIGTERM');
      process.off('exit', stopOnExit);
      if (tempDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function serverProperties(p: { dataDir: string; port: number; controllerPort: number; partitions: number }): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${join(p.dataDir, 'logs')}`,
    `num.partitions=${p.partitions}`,
    // A single broker cannot meet the defaults (replication 3, min ISR 2): groups would never form.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // The consumer's changelog is written in transactions: 3 partitions (not 50) make the first
    // claim on a fresh broker quick, as for the offsets topic above.
    'transaction.state.log.num.partitions=3',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'num.network.threads=2',
    'num.io.threads=2',
  ].join('\n')}\n`;
}

/** Kafka cluster ids are 16 random bytes, base64url without padding, not starting with '-'. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function jarsStamp(pom: string): string {
  return createHash('sha256').update(readFileSync(pom)).digest('hex');
}

function jarsReady(pom = pomPath, lib = libDir): boolean {
  try {
    return readFileSync(join(lib, '.stamp'), 'utf8') === jarsStamp(pom) && readdirSync(lib).some((f) => f.endsWith('.jar'));
  } catch {
    return false;
  }
}

/** Copies the broker's jars from Maven (cached in ~/.m2) into deploy/kafka/lib once per pom. */
function ensureJars(log: (line: string) => void): void {
  mavenJars(pomPath, libDir, 'the Apache Kafka jars', log);
}

/**
 * Copies the runtime jars a pom lists into `lib` with Maven (cached in ~/.m2), once per pom
 * content; returns the classpath (`lib/*`). The broker and the bench's Kafka tools use it.
 */
export function mavenJars(pom: string, lib: string, what: string, log: (line: string) => void): string {
  if (jarsReady(pom, lib)) return `${lib}/*`;
  log(`fetching ${what} with Maven (first run only; cached in ~/.m2)…`);
  rmSync(lib, { recursive: true, force: true });
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      pom,
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${lib}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (mvn.status !== 0 || !existsSync(lib)) {
    throw new Error(`Maven could not fetch ${what} (exit ${mvn.status}); run the command by hand to see why: mvn -f ${pom} dependency:copy-dependencies`);
  }
  writeFileSync(join(lib, '.stamp'), jarsStamp(pom));
  return `${lib}/*`;
}

async function waitUntilAnswering(brokers: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const admin = new Kafka({ clientId: 'hangarstack-launcher', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      if (cluster.brokers.length > 0) return;
    } catch (error) {
      lastError = error;
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new Error(`broker at ${brokers} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}
