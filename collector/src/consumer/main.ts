/**
 * The popularity consumer: `node collector/src/consumer/main.ts`. Reads the event stream (Kafka
 * when KAFKA_BROKERS is set, else the embedded log), keeps per-partition state with its offsets,
 * publishes the popularity JSON, and triggers debounced rebuilds when what pages show changes.
 * Configuration: collector/src/consumer/config.ts and the README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { popularitySchema, shownSignature, type Popularity } from '@hangarstack/shared';
import { writeFileAtomic } from './atomic-file.ts';
import { loadConsumerConfig, type ConsumerConfig } from './config.ts';
import { PopularityEngine } from './engine.ts';
import { createConsumerMetrics } from './metrics.ts';
import { RebuildTrigger, commandHook, httpHook, type RebuildHook } from './rebuild.ts';
import { EmbeddedSource } from '../transport/sources/embedded-source.ts';
import { KafkaSource } from '../transport/sources/kafka-source.ts';
import type { EventSource } from '../transport/sources/types.ts';
import { FilePopularityStore, FileStateStore } from './stores.ts';

let config: ConsumerConfig;
try {
  config = loadConsumerConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const env = config.env;
const log = pino({ level: env.LOG_LEVEL, base: { service: 'consumer' } });
const metrics = createConsumerMetrics();

const builtPath = join(env.CONSUMER_STATE_DIR, 'rebuild.json');
const emptySignature = shownSignature({ aircraft: {}, popular: [], trending: [], searches: { kAnonymity: env.K_ANONYMITY, top: [] } });
/** What the live site shows: recorded after each successful rebuild; at first start, the file it was built from. */
function builtSignature(): string {
  if (existsSync(builtPath)) return (JSON.parse(readFileSync(builtPath, 'utf8')) as { signature: string }).signature;
  if (!existsSync(env.POPULARITY_FILE)) return emptySignature;
  const parsed = popularitySchema.safeParse(JSON.parse(readFileSync(env.POPULARITY_FILE, 'utf8')));
  return parsed.success ? shownSignature(parsed.data) : emptySignature;
}

let trigger: RebuildTrigger | undefined;
if (env.REBUILD === 'on') {
  const hook: RebuildHook = env.REBUILD_HOOK_URL
    ? httpHook(
        {
          url: env.REBUILD_HOOK_URL,
          method: env.REBUILD_HOOK_METHOD,
          headers: {
            'content-type': 'application/json',
            ...env.REBUILD_HOOK_HEADERS,
            ...(env.REBUILD_HOOK_TOKEN ? { authorization: `Bearer ${env.REBUILD_HOOK_TOKEN}` } : {}),
          },
          body: env.REBUILD_HOOK_BODY,
          retries: env.REBUILD_HOOK_RETRIES,
          backoffMs: 1_000,
        },
        log,
      )
    : commandHook(env.REBUILD_COMMAND, { POPULARITY_FILE: env.POPULARITY_FILE }, log.child({ component: 'rebuild' }));
  trigger = new RebuildTrigger(
    hook,
    { debounceMs: env.REBUILD_DEBOUNCE_MS, minIntervalMs: env.REBUILD_MIN_INTERVAL_MS, maxStalenessMs: env.REBUILD_MAX_STALENESS_MS },
    { metrics, log, builtSignature: builtSignature(), onBuilt: (signature) => writeFileAtomic(builtPath, JSON.stringify({ signature })) },
  );
}

const engine = new PopularityEngine({
  stateStore: new FileStateStore(join(env.CONSUMER_STATE_DIR, 'partitions')),
  popularityStore: new FilePopularityStore(env.POPULARITY_FILE, config.searchReportFile),
  metrics,
  log,
  kAnonymity: env.K_ANONYMITY,
  kind: config.kafka ? 'kafka' : 'embedded',
  onPublished: (popularity: Popularity) => trigger?.observe(popularity),
});

// Publishing merges every partition; while events stream in, do it at most once per interval.
let publishTimer: NodeJS.Timeout | undefined;
let lastPublished = 0;
const schedulePublish = (): void => {
  if (publishTimer) return;
  const wait = Math.max(0, lastPublished + env.PUBLISH_INTERVAL_MS - Date.now());
  publishTimer = setTimeout(() => {
    publishTimer = undefined;
    lastPublished = Date.now();
    engine.publish().catch((error: unknown) => log.error({ err: (error as Error).message }, 'publishing the popularity snapshot failed'));
  }, wait);
};

const topics = [config.topics.views, config.topics.searches];
const source: EventSource = config.kafka
  ? new KafkaSource(config.kafka, env.CONSUMER_GROUP, engine, topics, log, schedulePublish)
  : new EmbeddedSource(env.EMBEDDED_LOG_PATH, engine, topics, schedulePublish);

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok', mode: config.kafka ? 'kafka' : 'embedded', popularity: env.POPULARITY_FILE }));
app.get('/metrics', async (c) => {
  const timestamp = (await metrics.snapshotTimestamp.get()).values[0]?.value ?? 0;
  metrics.snapshotAge.set(timestamp > 0 ? Date.now() / 1000 - timestamp : 0);
  return c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
});
const server = serve({ fetch: app.fetch, hostname: env.HOST, port: env.METRICS_PORT }, (info) =>
  log.info(`consumer metrics on http://${info.address}:${info.port}/metrics (${config.kafka ? 'Kafka' : `embedded log ${env.EMBEDDED_LOG_PATH}`}) → ${env.POPULARITY_FILE}`),
);

const lagTimer = setInterval(() => {
  source
    .lag()
    .then((lag) => {
      for (const [key, value] of lag) {
        const at = key.lastIndexOf(':');
        metrics.lag.set({ topic: key.slice(0, at), partition: key.slice(at + 1) }, value);
      }
    })
    .catch(() => undefined);
}, 5_000);

await engine.publish();
await source.start();
log.info({ group: config.kafka ? env.CONSUMER_GROUP : null }, 'consuming');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  clearInterval(lagTimer);
  clearTimeout(publishTimer);
  await source.stop();
  await engine.publish();
  await trigger?.stop();
  await new Promise<void>((done) => server.close(() => done()));
  log.info('stopped cleanly');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
