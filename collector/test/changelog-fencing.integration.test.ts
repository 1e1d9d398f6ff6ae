import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { describeWithBroker, testKafkaBrokers } from '@hangarstack/testing/kafka';
import { ChangelogFencedError } from '../src/consumer/engine.ts';
import { KafkaChangelog } from '../src/consumer/state/kafka-changelog.ts';
import { loadTopicManifest } from '../src/transport/topics/manifest.ts';
import type { StateRow } from '../src/consumer/state/rows.ts';

const brokers = testKafkaBrokers() ?? '';

const offsetRow = (partition: string, next: number): StateRow => ({ partition, kind: 'offset', bucket: 0, item: '', value: new TextEncoder().encode(String(next)) });

/** A changelog client of its own (as one consumer process has), reading the topic into `rows`. */
async function member(topic: string, group: string) {
  const changelog = new KafkaChangelog({ brokers: [brokers], clientId: 'cit-changelog', ssl: false }, { changelog: topic, deadLetters: `${topic}.dead-letter` }, group, pino({ level: 'silent' }));
  const rows: { row: StateRow; stranger: boolean }[] = [];
  await changelog.start(undefined, (batch, _position, strangers) => {
    for (const row of batch) rows.push({ row: { ...row, value: row.value && Uint8Array.from(row.value) }, stranger: strangers.has(row.partition) });
  });
  return { changelog, rows };
}

describeWithBroker('the state changelog fences a partition\'s previous owner (real broker)', () => {
  it('refuses the old owner\'s write once a new one claimed the partition, and a reader gets only committed rows, past their commit markers', async () => {
    const topic = `cit.changelog-fencing.${Date.now()}`;
    const group = `cit-changelog-fencing-${Date.now()}`;
    const old = await member(topic, group);
    const next = await member(topic, group);
    try {
      // An earlier owner that froze in the middle of a write: its transaction is open when the partition is claimed anew.
      const frozen = new Kafka({ brokers: [brokers], clientId: 'cit-changelog', logLevel: logLevel.NOTHING }).producer({ transactionalId: `${group}/views:0`, idempotent: true, maxInFlightRequests: 1 });
      await frozen.connect();
      const open = await frozen.transaction();
      await open.send({ topic, messages: [{ partition: 0, key: 'views:0|offset|0|', value: '99' }] });
      // Claiming aborts that transaction and fences its producer.
      await old.changelog.claim(['views:0', 'views:1']);
      await expect(open.commit()).rejects.toThrow(/epoch|fenced/i);
      await frozen.disconnect();
      await old.changelog.send([offsetRow('views:0', 10)]);
      // The next owner of views:0 claims it: the old owner's producer for it is fenced, not its other partition's.
      await next.changelog.claim(['views:0']);
      const refused = await old.changelog.send([offsetRow('views:0', 5)]).then(() => null, (error: unknown) => error);
      expect(refused).toBeInstanceOf(ChangelogFencedError);
      expect((refused as ChangelogFencedError).partition).toBe('views:0');
      // Once refused it stays refused (no retry can write it) until claimed again.
      await expect(old.changelog.send([offsetRow('views:0', 6)])).rejects.toBeInstanceOf(ChangelogFencedError);
      await old.changelog.send([offsetRow('views:1', 3)]);
      await next.changelog.send([offsetRow('views:0', 20)]);
      // A partition this member never claimed cannot be written at all.
      await expect(next.changelog.send([offsetRow('views:2', 1)])).rejects.toBeInstanceOf(ChangelogFencedError);

      // A member killed in the middle of a write leaves its transaction open until the partition's
      // next owner claims it (or it times out): reading "to the end" must not wait for it.
      const killed = new Kafka({ brokers: [brokers], clientId: 'cit-changelog', logLevel: logLevel.NOTHING }).producer({ transactionalId: `${group}/views:2`, idempotent: true, maxInFlightRequests: 1 });
      await killed.connect();
      const unfinished = await killed.transaction();
      await unfinished.send({ topic, messages: [{ partition: 0, key: 'views:2|offset|0|', value: '7' }] });

      // A member restoring from scratch: every transaction ends in a commit marker, and reading
      // "to the end" must pass it.
      const restorer = await member(topic, group);
      try {
        await restorer.changelog.caughtUp(10_000);
        await unfinished.abort();
        await killed.disconnect();
        const seen = restorer.rows.map(({ row }) => `${row.partition}=${new TextDecoder().decode(row.value ?? new Uint8Array())}`);
        // In changelog order; a fetched batch hands on only the latest version of each row (what
        // compaction leaves), so views:0=10 is not read when views:0=20 came in the same fetch.
        expect([['views:0=10', 'views:1=3', 'views:0=20'], ['views:1=3', 'views:0=20']]).toContainEqual(seen);
        // The aborted write (99) and the unfinished one (7) are never read. Every row is another process's to the restorer.
        expect(restorer.rows.every((r) => r.stranger)).toBe(true);
      } finally {
        await restorer.changelog.stop();
      }
      // Each member tells its own rows from the other's: the old owner sees the new owner's views:0 row as a stranger's.
      await old.changelog.caughtUp(30_000);
      const told = old.rows.map((r) => `${r.row.partition}:${r.stranger ? 'theirs' : 'mine'}`);
      expect([['views:0:mine', 'views:1:mine', 'views:0:theirs'], ['views:1:mine', 'views:0:theirs']]).toContainEqual(told);
    } finally {
      await old.changelog.stop();
      await next.changelog.stop();
    }
  }, 60_000);

  it("writes dead letters in the transaction of the offset that moves past them: a fenced owner's never appear", async () => {
    const topic = `cit.changelog-dead-letters.${Date.now()}`;
    const group = `cit-changelog-dead-letters-${Date.now()}`;
    const letters = (offsets: string[], reason: string) => ({ source: { key: 'views:0', topic: 'views' }, records: offsets.map((offset) => ({ offset, value: `{"n":${offset}}` })), reason });
    const old = await member(topic, group);
    const next = await member(topic, group);
    try {
      await old.changelog.claim(['views:0']);
      await next.changelog.claim(['views:0']);
      // The replaced owner gave up on offsets 3-4 too: refused with its offset row, nothing of it written.
      await expect(old.changelog.send([offsetRow('views:0', 5)], letters(['3', '4'], 'old owner'))).rejects.toBeInstanceOf(ChangelogFencedError);
      await next.changelog.send([offsetRow('views:0', 5)], letters(['3', '4'], 'new owner'));
      await next.changelog.send([offsetRow('views:0', 8)], letters(['7'], 'new owner'));
      // A dead letter is for one source partition's write only.
      await expect(next.changelog.send([offsetRow('views:0', 9)], { ...letters(['8'], 'x'), source: { key: 'views:1', topic: 'views' } })).rejects.toThrow(/one source partition/);

      const seen = await readUntil(`${topic}.dead-letter`, (m) => m.offset === '7');
      expect(seen).toEqual([
        { offset: '3', reason: 'new owner', value: '{"n":3}' },
        { offset: '4', reason: 'new owner', value: '{"n":4}' },
        { offset: '7', reason: 'new owner', value: '{"n":7}' },
      ]);
      // Each went with its offset row.
      await next.changelog.caughtUp(10_000);
      expect(next.rows.map(({ row }) => new TextDecoder().decode(row.value ?? new Uint8Array()))).toEqual(['5', '8']);
    } finally {
      await old.changelog.stop();
      await next.changelog.stop();
    }
  }, 60_000);
  // Every commit interval rewrites the hours it changed, so a fresh changelog holds many versions
  // of each row; only closed segments are compacted. Rolled every 16 MiB, a restore after minutes
  // of streaming reads about the state, not every version (1 M views, same code, load ~30: 34.7 MB
  // read in 2.0-2.7 s uncompacted, 7.8 MB in 0.4-1.1 s).
  it('is created compacted in 16 MiB segments, as the topic manifest has it', async () => {
    const topic = `cit.changelog-config.${Date.now()}`;
    const created = await member(topic, `cit-changelog-config-${Date.now()}`);
    const admin = new Kafka({ brokers: [brokers], clientId: 'cit-changelog', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const wanted = ['cleanup.policy', 'segment.bytes', 'segment.ms', 'max.message.bytes'];
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: wanted }] });
      const actual = Object.fromEntries((described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
      const manifest = loadTopicManifest(new URL('../../deploy/kafka/topics.json', import.meta.url).pathname).topics.find((t) => t.name === 'hangarstack.popularity.state');
      expect(actual).toEqual({ 'cleanup.policy': manifest?.cleanupPolicy, ...manifest?.config });
      expect(actual['segment.bytes']).toBe('16777216');
    } finally {
      await admin.disconnect();
      await created.changelog.stop();
    }
  });
});

/** Reads a topic from its start with committed reads (kafkajs's default) until `last` matches, returning what it read. */
async function readUntil(topic: string, last: (m: { offset: string; reason: string; value: string }) => boolean) {
  const reader = new Kafka({ brokers: [brokers], clientId: 'cit-changelog', logLevel: logLevel.NOTHING }).consumer({ groupId: `cit-dead-letter-reader-${Date.now()}` });
  const found: { offset: string; reason: string; value: string }[] = [];
  let done = false;
  await reader.connect();
  try {
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const m = { offset: String(message.headers?.['source-offset']), reason: String(message.headers?.reason), value: message.value?.toString('utf8') ?? '' };
        found.push(m);
        if (last(m)) done = true;
      },
    });
    const deadline = Date.now() + 30_000;
    while (!done) {
      if (Date.now() > deadline) throw new Error(`the last dead letter never came; read ${JSON.stringify(found)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await reader.disconnect();
  }
  return found;
}
