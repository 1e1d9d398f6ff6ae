/**
 * What co-views ("Visitors also viewed") and the popular facets cost the consumer, against the
 * real broker: the same user activity stream (visitor-days of 1–8 aircraft page views, aircraft
 * drawn with a Zipf-like skew, over 30 days of event time) is produced twice into the activity
 * topic: once as aircraft page views (visitor-day sets, pair counts, per-aircraft origin sketches)
 * and once as the same visits to the home page (none of that: the same records, parsing,
 * de-duplication and storage). The consumer reads each from scratch; rows compare events/s, state
 * on disk and peak RSS, and count the pairs it published.
 * Runnable alone: `node bench/src/co-views.ts [--quick]`.
 */
import { join } from 'node:path';
import type { ActivityRecord, Popularity } from '@hangarstack/shared';
import { startKafka } from '@hangarstack/deploy/kafka';
import { startConsumerProcess } from '@hangarstack/collector/testing/consumer-process';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { catalogueSlugs } from './beacons.ts';
import { bytesUnder, produceStream } from './kafka-fill.ts';
import { waitForApplied } from './published-snapshot.ts';
import { zipfSampler } from './view-stream.ts';
import { renderTable, type BenchRow } from './table.ts';
import { withTempDir } from './temp-dir.ts';

const DAY = 86_400_000;
const VISITORS = 50_000;
const MiB = 1024 * 1024;

/** `count` activity records in event-time order: visitor-days of 1–8 page views a minute apart. */
function* activityStream(count: number, slugs: readonly string[], runId: string, end: number, aircraftPages: boolean): Generator<ActivityRecord> {
  const random = seededRandom(17);
  const zipf = zipfSampler(slugs.length);
  const pick = (): string => slugs[zipf(random())] as string;
  const start = end - 30 * DAY;
  let i = 0;
  while (i < count) {
    // Sessions are spread evenly over the 30 days, so event time only moves forward.
    const at = start + Math.floor((i / count) * 30 * DAY);
    const visitor = Math.floor(random() * VISITORS);
    const hex = visitor.toString(16).padStart(32, '0');
    // Two visitors per network, so origins are fewer than visitors as on a real site.
    const origin = Math.floor(visitor / 2).toString(16).padStart(31, '0') + 'f';
    const views = 1 + Math.floor(random() * 8);
    for (let v = 0; v < views && i < count; v++, i++) {
      const aircraft = pick();
      yield {
        schema: 2,
        id: `${runId}-${String(i).padStart(10, '0')}`,
        type: 'activity',
        page: aircraftPages ? 'aircraft' : 'home',
        aircraft: aircraftPages ? aircraft : null,
        ref: null,
        entry: v === 0,
        clientTs: at + v * 60_000,
        receivedAt: at + v * 60_000,
        visitor: hex,
        origin,
        device: 'desktop',
      };
    }
  }
}

/** One consumer reads `topic` (as its activity topic) from scratch until all `count` records are in its snapshot. */
async function consume(brokers: string, topic: string, count: number, dir: string): Promise<{ eventsPerS: number; stateBytes: number; rssBytes: number; popularity: Popularity }> {
  const started = performance.now();
  const consumer = await startConsumerProcess({
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_VIEWS: `${topic}.views`,
    KAFKA_TOPIC_SEARCHES: `${topic}.searches`,
    KAFKA_TOPIC_ACTIVITY: topic,
    CONSUMER_GROUP: `${topic}.group`,
    POPULARITY_FILE: join(dir, 'popularity.json'),
    CONSUMER_STATE_DIR: join(dir, 'state'),
    PUBLISH_INTERVAL_MS: '1000',
    K_ANONYMITY: '5',
  });
  try {
    const popularity = await waitForApplied(join(dir, 'popularity.json'), count, 3_600_000, 'activity records');
    return { eventsPerS: (count / (performance.now() - started)) * 1000, stateBytes: bytesUnder(join(dir, 'state')), rssBytes: (await consumer.peakRssKb()) * 1024, popularity };
  } finally {
    await consumer.stop();
  }
}

export async function run(options: { brokers: string; quick: boolean }): Promise<BenchRow[]> {
  const count = options.quick ? 100_000 : 1_000_000;
  const runId = `benchcv${Date.now().toString(36)}`;
  const slugs = catalogueSlugs();
  const end = Date.now() - 60_000;
  const topics = { pairs: `bench.coviews.${runId}.aircraft`, none: `bench.coviews.${runId}.home` };
  // Keyed by visitor, as the collector keys user activity.
  const keyed = (records: Iterable<ActivityRecord>) =>
    (function* () {
      for (const record of records) yield { key: record.visitor, value: JSON.stringify(record) };
    })();
  await produceStream(options.brokers, 'bench-coviews', topics.pairs, keyed(activityStream(count, slugs, `${runId}a`, end, true)));
  await produceStream(options.brokers, 'bench-coviews', topics.none, keyed(activityStream(count, slugs, `${runId}h`, end, false)));
  // The no-pairs baseline first, then the measured stream: a warmer machine favours the feature, so the ratio is not flattered by order.
  const { none, pairs } = await withTempDir('bench-coviews-', async (dir) => ({
    none: await consume(options.brokers, topics.none, count, join(dir, 'home')),
    pairs: await consume(options.brokers, topics.pairs, count, join(dir, 'aircraft')),
  }));
  const lists = Object.values(pairs.popularity.alsoViewed ?? {});
  const size = `${count.toLocaleString('en-US')} activity records, ${VISITORS.toLocaleString('en-US')} visitors, visitor-days of 1–8 pages, 30 days, 3 partitions`;
  return [
    {
      id: 'coviews.events_per_s',
      section: 'coviews',
      measure: 'activity events/s with co-views and facet origins',
      value: pairs.eventsPerS,
      unit: 'events/s',
      baseline: { name: 'the same visits to the home page', value: none.eventsPerS },
      ratio: pairs.eventsPerS / none.eventsPerS,
      note: `${size}; start-up and group join included`,
    },
    {
      id: 'coviews.state_bytes',
      section: 'coviews',
      measure: 'state on disk after the stream',
      value: pairs.stateBytes,
      unit: 'bytes',
      baseline: { name: 'the same visits to the home page', value: none.stateBytes },
      ratio: pairs.stateBytes / Math.max(1, none.stateBytes),
      note: `${(pairs.stateBytes / MiB).toFixed(1)} MiB vs ${(none.stateBytes / MiB).toFixed(1)} MiB`,
    },
    {
      id: 'coviews.peak_rss_bytes',
      section: 'coviews',
      measure: 'consumer peak RSS',
      value: pairs.rssBytes,
      unit: 'bytes',
      baseline: { name: 'the same visits to the home page', value: none.rssBytes },
      ratio: pairs.rssBytes / Math.max(1, none.rssBytes),
      note: `${(pairs.rssBytes / MiB).toFixed(0)} MiB vs ${(none.rssBytes / MiB).toFixed(0)} MiB`,
    },
    {
      id: 'coviews.aircraft_with_lists',
      section: 'coviews',
      measure: 'aircraft with a published "also viewed" list (pairs past k = 5 origins)',
      value: lists.length,
      unit: '',
      note: `${lists.reduce((n, l) => n + l.length, 0)} partners published`,
    },
  ];
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const broker = process.env.KAFKA_BROKERS ? null : await startKafka({ port: 0 });
  try {
    console.log(renderTable(await run({ brokers: process.env.KAFKA_BROKERS ?? broker?.brokers ?? '', quick })));
  } finally {
    await broker?.close();
  }
}
