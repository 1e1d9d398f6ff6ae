import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS, type Popularity } from '@hangarstack/shared';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { EmbeddedLog } from '../transport/embedded-log.ts';
import { loadConsumerConfig } from './config.ts';
import { createConsumer, type Consumer } from './consumer.ts';
import { T0, viewAt } from '../../test/support/records.ts';
import { runEventsCommand } from '../transport/system-events/cli.ts';
import { SystemEvents, embeddedSystemEventWriter } from '../transport/system-events/emitter.ts';

let running: Consumer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function popularityWhen(file: string, done: (p: Popularity) => boolean): Promise<Popularity> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const p = readPopularityFile(file);
    if (p && done(p)) return p;
    if (Date.now() > deadline) throw new Error(`${file} never reached the expected state`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('createConsumer (embedded log, in-process)', () => {
  it('publishes what it reads from the embedded log, and reports its mode and counts on its ops endpoints', async () => {
    const dir = tempDir('consumer-unit-');
    const logPath = join(dir, 'events.db');
    const records = [viewAt('boeing-747-400', 'a', T0), viewAt('boeing-747-400', 'b', T0 + 1000), viewAt('airbus-a320-200', 'a', T0 + 2000)];
    const log = EmbeddedLog.open(logPath);
    log.append(records.map((r) => ({ topic: TOPICS.views, key: r.type === 'view' ? r.aircraft : '', value: JSON.stringify(r) })));
    log.close();

    const config = loadConsumerConfig({
      EMBEDDED_LOG_PATH: logPath,
      POPULARITY_FILE: join(dir, 'popularity.json'),
      CONSUMER_STATE_DIR: join(dir, 'state'),
      PUBLISH_INTERVAL_MS: '0',
      K_ANONYMITY: '1',
      REBUILD: 'off',
    });
    running = createConsumer(config, { log: pino({ level: 'silent' }), now: () => T0 + 60_000 });
    await running.start();

    const p = await popularityWhen(config.popularityFile, (s) => s.popular.length === 2);
    expect(p.popular).toEqual(['boeing-747-400', 'airbus-a320-200']);
    expect(p.aircraft['boeing-747-400']?.visitors.d7).toBe(2);
    // The embedded log numbers records from 1 across topics; a topic nothing was read from is left out.
    expect(p.source).toEqual({ kind: 'embedded', offsets: { [`${TOPICS.views}:0`]: '4' } });
    expect(running.trigger).toBeUndefined();

    const health = (await (await running.app.request('/healthz')).json()) as { mode: string };
    expect(health.mode).toBe('embedded');
    // Counted once stored: within the commit interval (COMMIT_INTERVAL_MS, 1 s by default).
    const processed = `hangar_consumer_events_processed_total{topic="${TOPICS.views}"} 3`;
    const consumer = running;
    const deadline = Date.now() + 10_000;
    const metrics = async () => (await consumer.app.request('/metrics')).text();
    while (!(await metrics()).includes(processed) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
    expect(await metrics()).toContain(processed);
  });

  it('builds a rebuild trigger only when rebuilds are on, from the configured hook', () => {
    const dir = tempDir('consumer-unit-');
    const config = loadConsumerConfig({ EMBEDDED_LOG_PATH: join(dir, 'events.db'), POPULARITY_FILE: join(dir, 'p.json'), CONSUMER_STATE_DIR: join(dir, 's'), REBUILD_COMMAND: 'true' });
    expect(config.rebuild?.hook).toEqual({ kind: 'command', command: 'true', siteWorker: false });
    const consumer = createConsumer(config, { log: pino({ level: 'silent' }) });
    expect(consumer.trigger).toBeDefined();
  });

  it('keeps one state changelog per consumer group and reads durations such as DEDUP_WINDOW=90m', () => {
    expect(loadConsumerConfig({}).stateTopic).toBe('hangarstack.popularity.state');
    expect(loadConsumerConfig({ CONSUMER_GROUP: 'staging popularity' }).stateTopic).toBe('staging_popularity.state');
    expect(loadConsumerConfig({ CONSUMER_GROUP: 'x', CONSUMER_STATE_TOPIC: 'ops.state' }).stateTopic).toBe('ops.state');
    expect(loadConsumerConfig({}).dedupWindowMs).toBe(3_600_000);
    expect(loadConsumerConfig({ DEDUP_WINDOW: '90m', EMBEDDED_LOG_RETENTION: '2d' })).toMatchObject({ dedupWindowMs: 5_400_000, embeddedLogRetentionMs: 172_800_000 });
    expect(() => loadConsumerConfig({ DEDUP_WINDOW: '10m' })).toThrow(/DEDUP_WINDOW/);
    expect(() => loadConsumerConfig({ DEDUP_WINDOW: 'an hour' })).toThrow(/duration such as/);
  });

  it('reads the rebuild failure backoff, and refuses a cap below the base', () => {
    expect(loadConsumerConfig({}).rebuild?.failureBackoff).toEqual({ baseMs: 30_000, maxMs: 1_800_000 });
    expect(loadConsumerConfig({ REBUILD_FAILURE_BACKOFF_MS: '0', REBUILD_FAILURE_BACKOFF_MAX_MS: '0' }).rebuild?.failureBackoff).toEqual({ baseMs: 0, maxMs: 0 });
    expect(() => loadConsumerConfig({ REBUILD_FAILURE_BACKOFF_MS: '60000', REBUILD_FAILURE_BACKOFF_MAX_MS: '1000' })).toThrow(/REBUILD_FAILURE_BACKOFF_MAX_MS \(1000\): must be at least REBUILD_FAILURE_BACKOFF_MS/);
    expect(() => loadConsumerConfig({ REBUILD_FAILURE_BACKOFF_MS: '-1' })).toThrow(/REBUILD_FAILURE_BACKOFF_MS/);
  });
});

describe('system events from the rebuilder', () => {
  it('a failing rebuild is on hangarstack.system.events with its exit code and last output, and `./hangar events` shows it', async () => {
    const dir = tempDir('consumer-rebuild-fail-');
    const logPath = join(dir, 'events.db');
    const log = EmbeddedLog.open(logPath);
    const record = viewAt('boeing-747-400', 'a', T0);
    log.append([{ topic: TOPICS.views, key: 'boeing-747-400', value: JSON.stringify(record) }]);
    log.close();
    const config = loadConsumerConfig({
      EMBEDDED_LOG_PATH: logPath,
      POPULARITY_FILE: join(dir, 'popularity.json'),
      CONSUMER_STATE_DIR: join(dir, 'state'),
      PUBLISH_INTERVAL_MS: '0',
      K_ANONYMITY: '1',
      REBUILD_COMMAND: "echo 'astro: cannot read data/aircraft/x.json' >&2; exit 3",
      REBUILD_DEBOUNCE_MS: '0',
      REBUILD_MIN_INTERVAL_MS: '0',
    });
    const systemEvents = new SystemEvents({ service: 'consumer', topic: config.topics.systemEvents, writer: embeddedSystemEventWriter(logPath), log: pino({ level: 'silent' }) });
    running = createConsumer(config, { log: pino({ level: 'silent' }), now: () => T0 + 60_000, systemEvents });
    await running.start();
    const lines: string[] = [];
    await expect
      .poll(async () => {
        lines.length = 0;
        await runEventsCommand(['--since', '1h'], { EMBEDDED_LOG_PATH: logPath }, (line) => lines.push(line));
        return lines.join('\n');
      }, { timeout: 15_000 })
      .toMatch(/rebuilder\s+ERROR rebuild\.failed\s+durationMs=\d+ error="exit 3: astro: cannot read data\/aircraft\/x\.json"/);
    expect(lines.join('\n')).toMatch(/rebuilder\s+INFO\s+rebuild\.requested/);
    await systemEvents.close();
  });
});

describe('data updates drive rebuilds', () => {
  it('a data update published after the consumer started rebuilds with HANGAR_DATA_CHANGES naming the records', async () => {
    const dir = tempDir('consumer-data-');
    const logPath = join(dir, 'events.db');
    const seen = join(dir, 'changes.txt');
    const config = loadConsumerConfig({
      EMBEDDED_LOG_PATH: logPath,
      POPULARITY_FILE: join(dir, 'popularity.json'),
      CONSUMER_STATE_DIR: join(dir, 'state'),
      PUBLISH_INTERVAL_MS: '0',
      REBUILD_COMMAND: `printf '%s' "$HANGAR_DATA_CHANGES" > ${seen}`,
      REBUILD_DEBOUNCE_MS: '0',
      REBUILD_MIN_INTERVAL_MS: '0',
    });
    const update = (slug: string) => ({ schema: 1, at: T0, kind: 'aircraft', slug, change: 'added', digest: 'AAAAAAAAAAAAAAAA', fields: ['slug'], fieldDigests: { slug: 'BBBBBBBBBBBBBBBB' } });
    const log = EmbeddedLog.open(logPath);
    // Published before the consumer ever ran: already in the live build, not rebuilt for.
    log.append([{ topic: TOPICS.dataUpdates, key: 'aircraft:old', value: JSON.stringify(update('old')) }]);
    running = createConsumer(config, { log: pino({ level: 'silent' }) });
    await running.start();
    log.append([{ topic: TOPICS.dataUpdates, key: 'aircraft:new-one', value: JSON.stringify(update('new-one')) }]);
    log.close();
    await expect.poll(() => (existsSync(seen) ? readFileSync(seen, 'utf8') : ''), { timeout: 10_000 }).toBe('aircraft:new-one');
  });
});
