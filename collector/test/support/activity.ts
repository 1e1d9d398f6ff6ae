import { activityRecordSchema, TOPICS, type ActivityRecord } from '@hangarstack/shared';
import { EmbeddedLog } from '../../src/transport/embedded-log.ts';

/** The user activity records in an embedded log, validated against the topic's schema, with their raw JSON. */
export function readActivity(path: string, topic: string = TOPICS.activity): { record: ActivityRecord; raw: string }[] {
  const log = EmbeddedLog.open(path);
  try {
    return log.read(topic, 0, 100_000).map((r) => ({ record: activityRecordSchema.parse(JSON.parse(r.value)), raw: r.value }));
  } finally {
    log.close();
  }
}
