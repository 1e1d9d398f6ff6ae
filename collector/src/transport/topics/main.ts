/**
 * `node collector/src/transport/topics/main.ts apply [--dry-run] [--manifest FILE] [--brokers host:port]`:
 * makes the cluster in KAFKA_BROKERS (KAFKA_SSL/KAFKA_SASL_* as for the services) match the topic
 * manifest. Behind `./hangar kafka topics apply`, the compose `kafka-topics` job and the
 * Kubernetes Job; exit 0 when the cluster matches (warnings included), 1 when it could not apply.
 */
import { ConfigError, parseEnv } from '@hangarstack/shared';
import { parseCommandLine, usageExit } from '@hangarstack/shared/command-line';
import { kafkaConnectionFromEnv, kafkaEnvShape } from '../kafka-connection.ts';
import { applyTopics } from './apply.ts';
import { DEFAULT_MANIFEST_PATH, loadTopicManifest } from './manifest.ts';

const USAGE = 'usage: topics apply [--dry-run] [--manifest deploy/kafka/topics.json] [--brokers host:port]  (cluster from KAFKA_BROKERS and KAFKA_SSL/KAFKA_SASL_*)';

const parseTopicsArgs = (argv: readonly string[], env: NodeJS.ProcessEnv) =>
  parseCommandLine(USAGE, {
    args: [...argv],
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      manifest: { type: 'string', default: env.TOPICS_MANIFEST ?? DEFAULT_MANIFEST_PATH },
      brokers: { type: 'string' },
    },
  });

export async function runTopicsCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseTopicsArgs(argv, env));
  } catch (error) {
    return usageExit(error);
  }
  if (positionals.join(' ') !== 'apply') {
    console.error(USAGE);
    return 2;
  }
  try {
    const manifest = loadTopicManifest(values.manifest);
    const connection = kafkaConnectionFromEnv(parseEnv(kafkaEnvShape, { ...env, ...(values.brokers ? { KAFKA_BROKERS: values.brokers } : {}) }));
    if (!connection) throw new ConfigError('no cluster: set KAFKA_BROKERS=host:port (or pass --brokers host:port); `./hangar kafka --port 0` starts a local one');
    const result = await applyTopics(connection, manifest, { dryRun: values['dry-run'], log: (line) => console.log(line) });
    console.log(`${result.applied ? 'applied' : 'dry run'}: ${result.actions.length} change(s), ${result.unchanged.length} topic(s) already matching, ${result.warnings.length} warning(s), ${result.brokerCount} broker(s)`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      console.error(`topics apply failed: ${(error as Error).message}. Check that the brokers are reachable and the credentials may alter topics (Create, Alter, AlterConfigs, DescribeConfigs).`);
      return 1;
    }
    console.error(error.message);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runTopicsCommand(process.argv.slice(2));
}
