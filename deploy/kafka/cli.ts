/**
 * `./hangar kafka [--port 9092] [--data-dir DIR]`: a real single-node Apache Kafka on loopback,
 * in the foreground, with the topic manifest (deploy/kafka/topics.json) applied. Prints the
 * address to use as KAFKA_BROKERS; Ctrl-C stops it cleanly.
 * `./hangar kafka topics apply [--dry-run]`: applies the manifest to the cluster in KAFKA_BROKERS.
 */
import { commandLine } from '@hangarstack/shared/command-line';
import { applyTopics, loadTopicManifest, runTopicsCommand } from '@hangarstack/collector/topics';
import { startKafka } from './launcher.ts';

if (process.argv[2] === 'topics') {
  process.exit(await runTopicsCommand(process.argv.slice(3)));
}

const { values } = commandLine('usage: ./hangar kafka [--port 9092] [--data-dir DIR] [--heap-mb 384] | ./hangar kafka topics apply [--dry-run]', {
  options: {
    port: { type: 'string', default: '9092' },
    'data-dir': { type: 'string' },
    'heap-mb': { type: 'string', default: '384' },
  },
});

const port = Number(values.port);
const heapMb = Number(values['heap-mb']);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a TCP port (0-65535), got "${values.port}"`);
  process.exit(2);
}
if (!Number.isInteger(heapMb) || heapMb < 128) {
  console.error(`--heap-mb must be an integer of at least 128, got "${values['heap-mb']}"`);
  process.exit(2);
}

const broker = await startKafka({ port, heapMb, ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) });
await applyTopics({ brokers: [broker.brokers], clientId: 'hangarstack-kafka-cli', ssl: false }, loadTopicManifest(), { log: (line) => console.log(`topics: ${line}`) });
console.log(`Apache Kafka is up: KAFKA_BROKERS=${broker.brokers} (data in ${broker.dataDir}, pid ${broker.pid})`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
const shutdown = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log('stopping Kafka…');
  await broker.close();
  console.log('Kafka stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
