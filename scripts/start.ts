/**
 * `./hangar start` (`pnpm start`): brings up what exists of HangarStack on this machine.
 * For now that is the local Apache Kafka broker (when Java is present); the site, collector and
 * consumer join here as they land.
 */
import { kafkaUnavailableReason, startKafka } from '../deploy/kafka/launcher.ts';

const reason = kafkaUnavailableReason();
if (reason) {
  console.error(`Nothing to start yet without Kafka: ${reason}`);
  process.exit(1);
}
const broker = await startKafka({ dataDir: '.data/kafka' });
console.log(`HangarStack is up.\n  Kafka: ${broker.brokers} (data in ${broker.dataDir})\nPress Ctrl-C to stop.`);

const shutdown = async (): Promise<void> => {
  await broker.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
