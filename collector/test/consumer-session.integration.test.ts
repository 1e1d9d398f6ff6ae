import { expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeWithBroker } from '@hangarstack/testing/kafka';
import { consumerDirs } from './support/consumer-dirs.ts';
import { memberHealth } from './support/consumer-process.ts';
import { counter, newRun, scrape, startMember, waitForSpread, type Member } from './support/consumer-group.ts';

describeWithBroker('the group session (real broker)', () => {
  // A member that was SIGKILLed keeps its partitions until its session expires: the classic group
  // protocol cannot tell a dead member from a slow one any sooner, so a new member's join waits for
  // it (at most the rebalance timeout, 20 s, after that join), and CONSUMER_SESSION_TIMEOUT_MS is
  // that wait. Two groups, their only members killed at the same moment and replaced at once: the
  // default session (6 s) hands the partitions over while the 60 s one still holds them.
  it("a killed member's partitions go to a new member after the killed member's own session timeout", async () => {
    const short = await newRun('session-short');
    const long = await newRun('session-long');
    const stamp = Date.now();
    const groups = { short: `cit-session-short-${stamp}`, long: `cit-session-long-${stamp}` };
    const members: Member[] = [];
    try {
      const killedShort = await startMember(short, groups.short);
      const killedLong = await startMember(long, groups.long, consumerDirs(), { CONSUMER_SESSION_TIMEOUT_MS: '60000' });
      members.push(killedShort, killedLong);
      await Promise.all([waitForSpread([killedShort], short.partitions), waitForSpread([killedLong], long.partitions)]);
      await Promise.all([killedShort.service.kill(), killedLong.service.kill()]);

      const [heirShort, heirLong] = await Promise.all([startMember(short, groups.short), startMember(long, groups.long)]);
      members.push(heirShort, heirLong);
      await waitForSpread([heirShort], short.partitions);
      // Each member joined its group once: the takeover did not cost its heir a second rebalance.
      expect(counter(await scrape(heirShort), 'hangar_consumer_group_joins_total')).toBe(1);
      // Had the setting no effect, both would have waited the same (the fixed 10 s it replaced).
      await sleep(3_000);
      expect((await memberHealth(heirLong.port)).partitions, 'the 60 s session still holds its partitions').toEqual([]);
    } finally {
      await Promise.all(members.map((m) => m.service.stop()));
    }
  }, 120_000);
});
