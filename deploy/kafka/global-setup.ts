/**
 * Vitest global setup: one real Apache Kafka broker for every integration test of the run.
 *
 * - KAFKA_BROKERS given: use that cluster, start nothing.
 * - Otherwise start the broker from deploy/kafka (Java 17+, jars via Maven) on free loopback ports.
 * - Neither possible: in CI (CI=true) the run fails; locally the integration tests skip, and this
 *   says so loudly with the way to enable them.
 */
import type { TestProject } from 'vitest/node';
import { kafkaUnavailableReason, startKafka, type KafkaBroker } from './launcher.ts';

// What it provides (`kafkaBrokers`) is declared beside its reader, testKafkaBrokers (@hangarstack/testing/kafka).
import '@hangarstack/testing/kafka';

let broker: KafkaBroker | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.KAFKA_BROKERS?.trim();
  if (given) {
    project.provide('kafkaBrokers', given);
    return;
  }
  const reason = kafkaUnavailableReason();
  if (reason) {
    if (process.env.CI === 'true') throw new Error(`CI=true: the Kafka integration tests must run, but ${reason}`);
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\n  SKIPPING the Kafka integration tests: ${reason}\n` +
        `  Enable them with Java 17+ and Maven installed, or point KAFKA_BROKERS at a broker.\n${bar}\n`,
    );
    project.provide('kafkaBrokers', '');
    return;
  }
  broker = await startKafka({ port: 0, log: (line) => console.log(`kafka: ${line}`) });
  project.provide('kafkaBrokers', broker.brokers);
}

export async function teardown(): Promise<void> {
  await broker?.close();
}
