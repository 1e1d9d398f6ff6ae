import { join } from 'node:path';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { dataUpdateKey, type Popularity } from '@hangarstack/shared';
import { EmbeddedSource } from '../transport/sources/embedded-source.ts';
import { KafkaSource } from '../transport/sources/kafka-source.ts';
import type { EventSource } from '../transport/sources/types.ts';
import type { ConsumerConfig } from './config.ts';
import { PopularityEngine } from './engine.ts';
import { LiveSignature } from './live-signature.ts';
import { createConsumerMetrics, type ConsumerMetrics } from './metrics.ts';
import { FilePopularityStore } from './popularity-store.ts';
import { PublishThrottle } from './publish-throttle.ts';
import { RebuildTrigger, rebuildHookFrom } from './rebuild.ts';
import { FileStateStore } from './state-store.ts';
import type { SystemEvents } from '../transport/system-events/emitter.ts';
import { DataUpdatesFollower } from '../transport/data-updates/follower.ts';

export interface ConsumerDeps {
  log: Logger;
  metrics?: ConsumerMetrics;
  /** The clock (tests pin it). */
  now?: () => number;
  /** hangarstack.system.events (started/stopping are main.ts's; rebuilds are reported as the rebuilder). */
  systemEvents?: SystemEvents;
}

export interface Consumer {
  /** `/healthz` and `/metrics`, to be served on the metrics port. */
  readonly app: Hono;
  readonly engine: PopularityEngine;
  readonly trigger: RebuildTrigger | undefined;
  /** Publishes what the stored state holds, then starts reading the stream. */
  start(): Promise<void>;
  /** Stops reading, publishes once more, and waits for a running rebuild (never orphaned). */
  stop(): Promise<void>;
}

/**
 * The popularity consumer as a value: the stream source (Kafka when configured, else the embedded
 * log), the engine that keeps per-partition state with its offsets, throttled publication, the
 * rebuild trigger, and its ops endpoints. `main.ts` only parses the config, serves `app` and wires
 * signals; tests call this directly.
 */
export function createConsumer(config: ConsumerConfig, deps: ConsumerDeps): Consumer {
  const { log } = deps;
  const metrics = deps.metrics ?? createConsumerMetrics();
  const mode = config.kafka ? 'kafka' : 'embedded';

  let trigger: RebuildTrigger | undefined;
  if (config.rebuild) {
    const live = new LiveSignature(join(config.stateDir, 'rebuild.json'), config.popularityFile, config.kAnonymity);
    trigger = new RebuildTrigger(
      rebuildHookFrom(config.rebuild.hook, { POPULARITY_FILE: config.popularityFile }, log),
      config.rebuild,
      {
        metrics,
        log,
        builtSignature: live.read(),
        onBuilt: (signature) => live.write(signature),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.systemEvents ? { systemEvents: deps.systemEvents.emitAs('rebuilder') } : {}),
      },
    );
  }

  const engine = new PopularityEngine({
    stateStore: new FileStateStore(join(config.stateDir, 'partitions')),
    popularityStore: new FilePopularityStore(config.popularityFile, config.searchReportFile),
    metrics,
    log,
    kAnonymity: config.kAnonymity,
    kind: mode,
    onPublished: (popularity: Popularity) => trigger?.observe(popularity),
    ...(deps.now ? { now: deps.now } : {}),
  });

  // Data changes rebuild the site too; only changes after the first start (older ones are built).
  const dataUpdates = trigger
    ? new DataUpdatesFollower({
        location: config.kafka
          ? { kind: 'kafka', connection: config.kafka, topic: config.topics.dataUpdates }
          : { kind: 'embedded', path: config.embeddedLogPath, topic: config.topics.dataUpdates },
        from: 'new',
        groupId: `${config.group}.data-updates`,
        offsetFile: join(config.stateDir, 'data-updates.offset'),
        log: log.child({ component: 'data-updates' }),
        onUpdates: (updates) => trigger?.dataChanged(updates.map((u) => dataUpdateKey(u.kind, u.slug))),
      })
    : undefined;

  const throttle = new PublishThrottle(() => engine.publish(), config.publishIntervalMs, (error) =>
    log.error({ err: (error as Error).message }, 'publishing the popularity snapshot failed'),
  );
  const topics = [config.topics.views, config.topics.searches];
  const source: EventSource = config.kafka
    ? new KafkaSource(config.kafka, config.group, engine, topics, log, () => throttle.request())
    : new EmbeddedSource(config.embeddedLogPath, engine, topics, () => throttle.request());

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok', mode, popularity: config.popularityFile }));
  app.get('/metrics', async (c) => {
    const timestamp = (await metrics.snapshotTimestamp.get()).values[0]?.value ?? 0;
    metrics.snapshotAge.set(timestamp > 0 ? Date.now() / 1000 - timestamp : 0);
    return c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });

  let lagTimer: NodeJS.Timeout | undefined;
  const pollLag = (): void => {
    source
      .lag()
      .then((lag) => {
        for (const [key, value] of lag) {
          const at = key.lastIndexOf(':');
          metrics.lag.set({ topic: key.slice(0, at), partition: key.slice(at + 1) }, value);
        }
      })
      .catch((error: unknown) => log.debug({ err: (error as Error).message }, 'lag poll failed; retried in 5 s'));
  };

  return {
    app,
    engine,
    trigger,
    async start() {
      await engine.publish();
      await source.start();
      await dataUpdates?.start().catch((error: unknown) => log.error({ err: (error as Error).message }, 'cannot follow data updates; data changes will not trigger rebuilds until restart'));
      lagTimer = setInterval(pollLag, 5_000);
      log.info({ mode, group: config.kafka ? config.group : null }, 'consuming');
    },
    async stop() {
      clearInterval(lagTimer);
      throttle.cancel();
      await source.stop();
      await dataUpdates?.stop();
      await engine.publish();
      await trigger?.stop();
    },
  };
}
