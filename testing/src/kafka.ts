import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { describe, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port[,host:port]` of the test cluster (deploy/kafka/global-setup.ts), or '' when integration tests must skip. */
    kafkaBrokers: string;
  }
}

/**
 * The test cluster's address from the global setup, or null when integration tests must skip
 * (only possible outside CI; the setup has already said why, loudly).
 */
export function testKafkaBrokers(): string | null {
  return inject('kafkaBrokers') || null;
}

/**
 * `describe` for tests that need the real broker. They skip only where the global setup
 * (deploy/kafka/global-setup.ts) found no way to run Kafka (no Java or Maven on a developer's
 * machine), which it announces loudly with how to enable them; under CI=true that setup fails the
 * run instead, and this refuses too, so they never skip in CI. The one place that rule lives.
 */
export function describeWithBroker(name: string, body: () => void): void {
  describe.skipIf(withoutBroker({ for: name }))(name, body);
}

/**
 * The skip condition of a real-broker test (`it.skipIf(withoutBroker())`, or with `kcat` when it
 * reads back with kcat): true only outside CI, where the global setup found no way to run Kafka or
 * kcat is missing, both announced loudly. Under CI=true either throws instead of skipping.
 */
export function withoutBroker(options: { kcat?: boolean; for?: string } = {}): boolean {
  if (!testKafkaBrokers()) {
    if (process.env.CI === 'true') throw new Error(`CI=true but no Kafka broker${options.for ? ` for "${options.for}"` : ''}: the global setup (deploy/kafka/global-setup.ts) must start one`);
    return true;
  }
  return options.kcat === true && !kcatAvailable();
}

export interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
}

/** Reads a whole topic with Debian's kcat: an independent client to check what we wrote. */
export function kcatReadTopic(brokers: string, topic: string): KcatRecord[] {
  const out = execFileSync('kcat', ['-b', brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: 60_000,
  });
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatRecord);
}

/** True when kcat is installed; in CI its absence is an error, not a skip. */
export function kcatAvailable(): boolean {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('CI=true but kcat is missing: .ci/run installs it (apt-get install kcat).');
    console.warn('SKIPPING kcat checks: kcat is not installed (apt-get install kcat).');
    return false;
  }
}

/**
 * Creates a topic on the test cluster and waits for its leaders, as deploy/kafka/topics.json would
 * have it in production: a topic auto-created by a first write is not readable at once.
 */
export async function createTestTopic(brokers: string, topic: string, numPartitions = 1): Promise<void> {
  const admin = new Kafka({ clientId: 'hangar-test-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
