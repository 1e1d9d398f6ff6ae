import { searchRecordSchema, TOPICS, type SearchRecord } from '@hangarstack/shared';
import { EmbeddedLog } from '../../src/transport/embedded-log.ts';

/** The search records in an embedded log, validated against the topic's schema, with their keys. */
export function readSearches(path: string, topic: string = TOPICS.searches): { record: SearchRecord; key: string }[] {
  const log = EmbeddedLog.open(path);
  try {
    return log.read(topic, 0, 100_000).map((r) => ({ record: searchRecordSchema.parse(JSON.parse(r.value)), key: r.key }));
  } finally {
    log.close();
  }
}
