import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { describeWithBroker, testKafkaBrokers } from '@hangarstack/testing/kafka';
import { promtoolCheckMetrics } from '@hangarstack/testing/promtool';
import { consumerDirs } from './support/consumer-dirs.ts';
import { comparable, produceRecords, producer, waitForOffsets } from './support/consumer-process.ts';
import { counter, newRun, reference, scrape, startMember, stream, waitForSpread, type Member } from './support/consumer-group.ts';
import { runEventsCommand } from '../src/transport/system-events/cli.ts';

const brokers = testKafkaBrokers() ?? '';

/** `waitForOffsets` for a member, failing with what the member printed (its log is dropped otherwise). */
const published = (m: Member, total: bigint, timeoutMs?: number) =>
  waitForOffsets(m.dirs.popularityFile, total, timeoutMs).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n(member ${m.service.alive() ? 'running' : 'exited'}; it said:)\n${m.service.tail()}`);
  });

describeWithBroker('a zombie member (real broker)', () => {
  // A member frozen past its session timeout (a stop-the-world pause, SIGSTOP here) with batches
  // applied but not stored loses its partitions; when it wakes, its commit-interval timer fires
  // before it learns it was replaced. Its late changelog write must not reach the changelog: a
  // compacted topic keeps the last value of every row, so the stale rows would outlive the new
  // owner's and every later restore would start from them.
  it('frozen past its session timeout, then resumed, leaves no trace: a later restore equals an uninterrupted run', async () => {
    const run = await newRun('zombie');
    const first = stream(1_500);
    const second = stream(1_500);
    const total = BigInt(first.length + second.length);
    const group = `cit-zombie-${Date.now()}`;
    const p = await producer(brokers);
    // The zombie stores only every 10 s, so it surely holds the first records unstored when frozen;
    // the new owner stores every batch at once.
    const events = `${group}.events`;
    const zombie = await startMember(run, group, consumerDirs(), { COMMIT_INTERVAL_MS: '10000', KAFKA_TOPIC_SYSTEM_EVENTS: events });
    const members: Member[] = [zombie];
    let frozen = false;
    try {
      await waitForSpread([zombie], run.partitions);
      await produceRecords(p, run.topics, first);
      // Published from memory, so applied; nothing stored yet (processed counts stored events).
      await published(zombie, BigInt(first.length));
      const appliedAt = Date.now();
      expect(counter(await scrape(zombie), 'hangar_consumer_events_processed_total')).toBe(0);
      zombie.service.child.kill('SIGSTOP');
      frozen = true;

      const owner = await startMember(run, group, consumerDirs(), { COMMIT_INTERVAL_MS: '0' });
      members.push(owner);
      // It gets every partition once the frozen member's session (6 s) has expired.
      await waitForSpread([owner], run.partitions);
      await produceRecords(p, run.topics, second);
      await published(owner, total);

      // Wakes up: its overdue commit-interval timer fires at once, then it rejoins the group. (The
      // session is shorter than the interval: the timer must be due before it wakes.)
      await sleep(Math.max(0, appliedAt + 10_500 - Date.now()));
      zombie.service.child.kill('SIGCONT');
      frozen = false;
      await waitForSpread([zombie, owner], run.partitions);
      // Both publish everything (each has every partition, its own or from the changelog).
      const snapshots = await Promise.all(members.map((m) => published(m, total, 30_000).catch((error: unknown) => error as Error)));
      const zombieMetrics = await scrape(zombie);
      await Promise.all(members.map((m) => m.service.stop()));

      // A third member with an empty disk restores every partition from the changelog alone.
      const restorer = await startMember(run, group);
      members.push(restorer);
      const restored = await published(restorer, total);
      const uninterrupted = comparable(await reference(run, Number(total)));
      expect.soft(comparable(restored), 'restored from the changelog').toEqual(uninterrupted);
      for (const [i, snapshot] of snapshots.entries()) {
        expect.soft(snapshot instanceof Error ? snapshot.message : comparable(snapshot), i === 0 ? 'the resumed member publishes' : 'the new owner publishes').toEqual(uninterrupted);
      }
      // The zombie's late write was refused, and counted (in an exposition promtool accepts).
      expect(counter(zombieMetrics, 'hangar_consumer_fenced_flushes_total')).toBeGreaterThan(0);
      expect(promtoolCheckMetrics(zombieMetrics)).toEqual([]);
      // ...and reported on the system events topic, as `./hangar events` shows it.
      const lines: string[] = [];
      await runEventsCommand(['--since', '10m'], { KAFKA_BROKERS: brokers, KAFKA_TOPIC_SYSTEM_EVENTS: events }, (line) => lines.push(line));
      expect(lines.filter((line) => line.includes('partition.fenced')).length).toBeGreaterThan(0);
    } finally {
      if (frozen) zombie.service.child.kill('SIGCONT');
      await p.disconnect();
      await Promise.all(members.map((m) => m.service.stop()));
    }
  }, 240_000);
});
