import { join } from 'node:path';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { dataUpdateKey, type Popularity } from '@hangarstack/shared';
import { EmbeddedLog } from '../transport/embedded-log.ts';
import { EmbeddedSource } from '../transport/sources/embedded-source.ts';
import { KafkaHealth } from '../transport/kafka-health.ts';
import { KafkaSource } from '../transport/sources/kafka-source.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import type { ConsumerConfig } from './config.ts';
import { EmbeddedDeadLetters } from './dead-letters.ts';
import { PopularityEngine } from './engine.ts';
import { LiveSignature } from './live-signature.ts';
import { createConsumerMetrics, type ConsumerMetrics } from './metrics.ts';
import { FilePopularityStore } from './popularity-store.ts';
import { PublishThrottle } from './publish-throttle.ts';
import { RebuildTrigger, rebuildHookFrom } from './rebuild.ts';
import type { SystemEvents } from '../transport/system-events/emitter.ts';
import { DataUpdatesFollower } from '../transport/data-updates/follower.ts';
import { CHANGELOG_POSITION, KafkaChangelog } from './state/kafka-changelog.ts';
import { HOUR_MS } from './state/partition-state.ts';
import type { StateRow } from './state/rows.ts';
import { SqliteStateStore, type StateStore } from './state/sqlite-state-store.ts';

/**
 * A member whose partitions' last batches left more than this many records unread in all is
 * catching up a backlog, and publishes at most every PUBLISH_INTERVAL_BEHIND_MS. A live stream's
 * batches end at the end of their partition (lag 0). Well under one fetch (~3,800 bench records
 * per partition): with 10,000, the publish once "caught up" came a fetch before the end of a
 * backlog, and the last records waited a whole PUBLISH_INTERVAL_MS after it.
 */
const BEHIND_RECORDS = 1_000;

/** How long a fenced partition may stay assigned to this member without a new assignment (see `watchFenced`). */
const FENCED_GRACE_MS = 60_000;

export interface ConsumerDeps {
  log: Logger;
  metrics?: ConsumerMetrics;
  /** The clock (tests pin it). */
  now?: () => number;
  /** hangarstack.system.events (started/stopping are main.ts's; rebuilds are reported as the rebuilder). */
  systemEvents?: SystemEvents;
  /** Wraps the local state store (fault-injection tests put a failing store here). */
  wrapStore?: (store: StateStore) => StateStore;
}

export interface Consumer {
  /** `/healthz` and `/metrics`, to be served on the metrics port. */
  readonly app: Hono;
  readonly engine: PopularityEngine;
  readonly trigger: RebuildTrigger | undefined;
  /** Partitions this member owns and has restored. */
  partitions(): readonly string[];
  /** Whether this member starts rebuilds: in Kafka mode, the owner of the views topic's partition 0. */
  isPublisher(): boolean;
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

  // The popular facets group aircraft by the catalogue; without it they stay empty, nothing else depends on it.
  const readCatalogue = (): Catalogue => {
    try {
      return loadCatalogue(config.aircraftDataDir);
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'no aircraft catalogue: popular manufacturers, roles and eras stay empty until AIRCRAFT_DATA_DIR is readable');
      return new Map();
    }
  };
  let catalogue = readCatalogue();

  const stateStore = new SqliteStateStore(join(config.stateDir, 'state.db'), { durable: !config.kafka });
  const store = deps.wrapStore?.(stateStore) ?? stateStore;
  // One outage is one kafka.lost / kafka.restored pair, whichever client notices it.
  const kafkaHealth = config.kafka && deps.systemEvents ? new KafkaHealth(deps.systemEvents.emit, log) : undefined;
  // Kafka mode: dead letters are written by the changelog, in the transaction that stores the offset past them.
  const changelog = config.kafka ? new KafkaChangelog(config.kafka, { changelog: config.stateTopic, deadLetters: config.deadLetterTopic }, config.group, log, kafkaHealth) : undefined;
  const embeddedLog = config.kafka ? undefined : EmbeddedLog.open(config.embeddedLogPath);
  const deadLetters = embeddedLog ? new EmbeddedDeadLetters(embeddedLog, config.deadLetterTopic) : undefined;
  const publisherPartition = `${config.topics.views}:0`;
  const isPublisher = () => !(source instanceof KafkaSource) || source.assigned.includes(publisherPartition);

  const engine = new PopularityEngine({
    store,
    ...(changelog ? { changelog } : {}),
    ...(deadLetters ? { deadLetters } : {}),
    popularityStore: new FilePopularityStore(config.popularityFile, config.searchReportFile),
    metrics,
    log,
    kAnonymity: config.kAnonymity,
    kind: mode,
    state: { dedupHours: Math.ceil(config.dedupWindowMs / HOUR_MS), maxVisitorsPerOrigin: config.maxVisitorsPerOrigin },
    catalogue: () => catalogue,
    onDeadLettered: (detail) => deps.systemEvents?.emit('batch.dead-lettered', detail),
    onFenced: (detail) => {
      deps.systemEvents?.emit('partition.fenced', detail);
      watchFenced(`${detail.topic}:${detail.partition}`);
    },
    commitIntervalMs: config.commitIntervalMs,
    attempts: config.retry.attempts,
    retryBaseMs: config.retry.baseMs,
    // Every member publishes its own file (each has every partition's aggregate); only the
    // publisher starts rebuilds, so two members never build the site twice.
    onPublished: (popularity: Popularity) => {
      if (isPublisher()) trigger?.observe(popularity);
    },
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
        // Only the publisher rebuilds (every member follows, so a new publisher is current).
        onUpdates: (updates) => {
          // An added, moved or removed aircraft changes which facets its visitors count for.
          if (updates.some((u) => u.kind === 'aircraft')) catalogue = readCatalogue();
          if (isPublisher()) trigger?.dataChanged(updates.map((u) => dataUpdateKey(u.kind, u.slug)));
        },
      })
    : undefined;

  // A fenced partition waits for the group to assign it again: a fence means this member was
  // replaced (it rejoins within its next heartbeat) or an outage ended a transaction badly (the
  // group member rejoins after an outage too). Should the group still give the partition to this
  // member that much later with no new assignment, nothing would ever claim it again: exit, so the
  // restart claims and restores it.
  const fencedTimers = new Set<NodeJS.Timeout>();
  const watchFenced = (key: string): void => {
    const timer = setTimeout(() => {
      fencedTimers.delete(timer);
      if (!source.assigned.includes(key) || engine.owned.includes(key)) return;
      log.fatal({ partition: key }, `partition ${key} stayed fenced for ${FENCED_GRACE_MS / 1000} s while still assigned to this member; exiting so a restart claims and restores it`);
      process.exit(1);
    }, FENCED_GRACE_MS);
    timer.unref();
    fencedTimers.add(timer);
  };

  const throttle = new PublishThrottle(
    () => engine.publish(),
    config.publishIntervalMs,
    (error) => log.error({ err: (error as Error).message }, 'publishing the popularity snapshot failed'),
    Date.now,
    config.publishIntervalBehindMs,
  );
  // Per partition, the records its last batch left unread (reset on every join: the assignment changes).
  const lags = new Map<string, number>();
  const afterKafkaBatch = (key: string, lag: number): void => {
    lags.set(key, lag);
    let behind = 0;
    for (const n of lags.values()) behind += n;
    throttle.request(behind > BEHIND_RECORDS);
  };
  const topics = [config.topics.views, config.topics.searches, config.topics.activity];
  const source: KafkaSource | EmbeddedSource = config.kafka
    ? new KafkaSource(config.kafka, config.group, engine, topics, log, {
        afterBatch: afterKafkaBatch,
        onJoin: () => {
          lags.clear();
          metrics.groupJoins.inc();
        },
        // Claim the new assignment's transactional ids first (fencing their previous owners), so
        // reading the changelog to its end takes in every write those owners can still make.
        // Work under way before and after is let finish: a flush this claim fenced gives its
        // partition back to what is stored before the source seeks to it.
        restore: async (keys) => {
          await engine.settled();
          await (changelog as KafkaChangelog).claim(keys);
          await (changelog as KafkaChangelog).caughtUp();
          await engine.settled();
        },
        onFatal: (error) => {
          log.fatal({ err: error.message }, 'the Kafka consumer stopped (restore failed or kafkajs gave up); exiting so the group reassigns the partitions');
          process.exit(1);
        },
        ...(kafkaHealth ? { health: kafkaHealth } : {}),
        sessionTimeoutMs: config.sessionTimeoutMs,
      })
    : new EmbeddedSource(embeddedLog as EmbeddedLog, engine, topics, { retentionMs: config.embeddedLogRetentionMs, afterBatch: () => throttle.request() });

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok', mode, popularity: config.popularityFile, partitions: source.assigned, publisher: isPublisher() }));
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
    partitions: () => source.assigned,
    isPublisher,
    async start() {
      if (changelog) {
        // Restore: the local store is a cache; read what the changelog holds beyond it.
        // Rows of topics this consumer does not read (another deployment sharing the topic) are skipped.
        const ours = (row: StateRow) => topics.includes(row.partition.slice(0, row.partition.lastIndexOf(':')));
        // Until the changelog is read up to where it ended at start, what is loaded is a partial
        // state: it is published once, when whole, not each interval on the way (a half-restored
        // snapshot on the site, and a snapshot built per second while a 10 M restore read).
        let restored = false;
        await changelog.start(stateStore.position(CHANGELOG_POSITION), (rows, position, strangers) => {
          // Another member's progress changes the snapshot too; this member's own rows coming back
          // do not (publishing for them kept the throttle busy: a beacon then waited a whole interval).
          if (engine.applyRemote(rows.filter(ours), position, strangers) > 0 && restored) throttle.request();
        });
        // The member joins its group while the changelog is read: a dead member's partitions come
        // only once its session has expired, and the restore on assignment reads the changelog to
        // its end anyway (after the claim), so the read and that wait overlap instead of adding up.
        // What is stored is published as soon as it is read.
        await Promise.all([
          changelog.caughtUp().then(() => {
            restored = true;
            return engine.publish();
          }),
          source.start(),
        ]);
      } else {
        await engine.publish();
        await source.start();
      }
      await dataUpdates?.start().catch((error: unknown) => log.error({ err: (error as Error).message }, 'cannot follow data updates; data changes will not trigger rebuilds until restart'));
      lagTimer = setInterval(pollLag, 5_000);
      log.info({ mode, group: config.kafka ? config.group : null }, 'consuming');
    },
    async stop() {
      clearInterval(lagTimer);
      for (const timer of fencedTimers) clearTimeout(timer);
      throttle.cancel();
      await source.stop();
      await dataUpdates?.stop();
      await engine.publish();
      await changelog?.stop();
      await trigger?.stop();
      stateStore.close();
      embeddedLog?.close();
    },
  };
}
