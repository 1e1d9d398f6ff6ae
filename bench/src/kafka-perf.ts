/**
 * The Kafka ceiling: Apache Kafka's own `ProducerPerformance` (kafka-tools, at the broker's
 * version) producing 250-byte records with acks=all and idempotence to the bench's broker. What
 * the broker takes from a well-tuned client on this machine, so the collector's rate can be read
 * as a share of it. The jars come from Maven like the broker's (bench/kafka-tools/pom.xml).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mavenJars } from '@hangarstack/deploy/kafka';

const run = promisify(execFile);
const TOOLS = join(import.meta.dirname, '..', 'kafka-tools');

export interface PerfResult {
  recordsPerSecond: number;
  p99Ms: number;
}

/** Parses ProducerPerformance's closing summary line ("N records sent, R records/sec (…), … P ms 99th, …"). */
export function parsePerfSummary(stdout: string): PerfResult {
  const summary = stdout
    .split('\n')
    .reverse()
    .find((line) => /records sent, .* 99th/.test(line));
  const rate = summary ? /records sent, ([\d.]+) records\/sec/.exec(summary) : null;
  const p99 = summary ? /([\d.]+) ms 99th/.exec(summary) : null;
  if (!rate?.[1] || !p99?.[1]) throw new Error(`ProducerPerformance printed no summary line:\n${stdout.slice(-2_000)}`);
  return { recordsPerSecond: Number(rate[1]), p99Ms: Number(p99[1]) };
}

/** Runs ProducerPerformance once for `records` records to a fresh topic on `brokers`. */
export async function kafkaPerf(brokers: string, topic: string, records: number): Promise<PerfResult> {
  const classpath = mavenJars(join(TOOLS, 'pom.xml'), join(TOOLS, 'lib'), 'the Apache Kafka tools', (line) => process.stderr.write(`bench: ${line}\n`));
  const { stdout } = await run(
    'java',
    [
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${join(import.meta.dirname, '..', '..', 'deploy', 'kafka', 'log4j2.properties')}`,
      '-cp',
      classpath,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      '250',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${brokers}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
  );
  return parsePerfSummary(stdout);
}
