import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePerfSummary } from './kafka-perf.ts';

const kafkaVersion = (pom: string) => /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pom, 'utf8'))?.[1];

describe('the Kafka ceiling', () => {
  it('runs the tools of the version the broker runs', () => {
    const root = join(import.meta.dirname, '..', '..');
    const broker = kafkaVersion(join(root, 'deploy', 'kafka', 'pom.xml'));
    expect(broker).toMatch(/^\d+\.\d+\.\d+$/);
    expect(kafkaVersion(join(root, 'bench', 'kafka-tools', 'pom.xml'))).toBe(broker);
  });

  it('reads the closing summary of ProducerPerformance, not the progress lines', () => {
    const stdout = [
      '7412 records sent, 1479.7 records/sec (0.35 MB/sec), 1073.8 ms avg latency, 2792.0 ms max latency.',
      '100000 records sent, 11964.6 records/sec (2.85 MB/sec), 2377.48 ms avg latency, 2792.00 ms max latency, 2493 ms 50th, 2614 ms 95th, 2660 ms 99th, 2682 ms 99.9th.',
    ].join('\n');
    expect(parsePerfSummary(stdout)).toEqual({ recordsPerSecond: 11964.6, p99Ms: 2660 });
  });

  it('says what it saw when there is no summary', () => {
    expect(() => parsePerfSummary('ERROR connection refused')).toThrow(/no summary line[\s\S]*connection refused/);
  });
});
