import { describe, expect, it } from 'vitest';
import { EmbeddedLog } from '../transport/embedded-log.ts';
import { EmbeddedDeadLetters } from './dead-letters.ts';

const letters = (key: string, offsets: string[]) => ({ source: { key, topic: 'views' }, records: offsets.map((offset) => ({ offset, value: `{"n":${offset}}` })), reason: 'failed 3 times: disk I/O error' });

describe('EmbeddedDeadLetters', () => {
  // The dead letters are appended before the offset past them is stored; a crash in between
  // re-reads the batch on restart, which fails again and is dead-lettered again.
  it('appends a batch dead-lettered again after a crash only once, and other offsets and partitions as they come', async () => {
    const log = EmbeddedLog.open(':memory:');
    try {
      const sink = new EmbeddedDeadLetters(log, 'dead-letter');
      log.append([{ topic: 'views', key: 'a', value: '{}' }]);
      await sink.send(letters('views:0', ['3', '4']));
      log.append([{ topic: 'views', key: 'b', value: '{}' }]);
      await sink.send(letters('views:0', ['3', '4']));
      await sink.send(letters('views:0', ['4', '5']));
      await sink.send(letters('views:1', ['3']));
      const stored = log.read('dead-letter', 0, 100).map((r) => JSON.parse(r.value) as { source: string; offset: string; value: string; reason: string });
      expect(stored.map((d) => `${d.source}@${d.offset}`)).toEqual(['views:0@3', 'views:0@4', 'views:0@5', 'views:1@3']);
      expect(stored[0]).toMatchObject({ value: '{"n":3}', reason: 'failed 3 times: disk I/O error' });
    } finally {
      log.close();
    }
  });
});
