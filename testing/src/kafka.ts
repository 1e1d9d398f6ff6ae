import { execFileSync } from 'node:child_process';
import { inject } from 'vitest';

/**
 * The test cluster's address from the global setup, or null when integration tests must skip
 * (only possible outside CI; the setup has already said why, loudly).
 */
export function testKafkaBrokers(): string | null {
  return inject('kafkaBrokers') || null;
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
