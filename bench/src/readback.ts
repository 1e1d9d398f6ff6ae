/**
 * Reads what the pipeline actually stored: the topics (with Debian's kcat, a client independent of
 * the collector's kafkajs) and the consumer's popularity JSON.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { eventRecordSchema, type Popularity } from '@hangarstack/shared';
import { readPopularityFile } from '@hangarstack/shared/popularity-file';

const run = promisify(execFile);

/** What a topic read-back found. */
export interface TopicAudit {
  records: number;
  /** Records whose value fails eventRecordSchema (or is not JSON). */
  invalid: number;
  /** Distinct event ids among the valid records. */
  ids: Set<string>;
}

/** Reads whole topics from the beginning and validates every record with eventRecordSchema. */
export async function auditTopics(brokers: string, topics: readonly string[]): Promise<TopicAudit> {
  const audit: TopicAudit = { records: 0, invalid: 0, ids: new Set() };
  for (const topic of topics) {
    const { stdout } = await run('kcat', ['-b', brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q'], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      timeout: 120_000,
    }).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
      // A topic nobody produced to does not exist yet: that is zero records, not a failure.
      if (/Unknown topic|UNKNOWN_TOPIC/i.test(error.stderr ?? '')) return { stdout: '' };
      throw new Error(`kcat could not read ${topic} from ${brokers} (is kcat installed? apt-get install kcat): ${error.message}`);
    });
    for (const line of stdout.split('\n')) {
      if (line.trim() === '') continue;
      audit.records++;
      const { payload } = JSON.parse(line) as { payload: string | null };
      let value: unknown;
      try {
        value = JSON.parse(payload ?? '');
      } catch {
        audit.invalid++;
        continue;
      }
      const parsed = eventRecordSchema.safeParse(value);
      if (parsed.success) audit.ids.add(parsed.data.id);
      else audit.invalid++;
    }
  }
  return audit;
}

/** Total views over 24 h across all aircraft: each acknowledged view counted once is the goal. */
export function totalViews(popularity: Popularity | null): number {
  if (!popularity) return 0;
  return Object.values(popularity.aircraft).reduce((sum, a) => sum + a.views.h24, 0);
}

/**
 * Waits until the popularity JSON counts at least `expected` views and stays put for `settleMs`,
 * or `timeoutMs` passes; returns the last snapshot (the caller compares counts).
 */
export async function waitForViews(file: string, expected: number, timeoutMs: number, settleMs = 1_500): Promise<Popularity | null> {
  const deadline = Date.now() + timeoutMs;
  let last = readPopularityFile(file);
  while (Date.now() < deadline) {
    if (totalViews(last) >= expected) {
      await sleep(settleMs);
      return readPopularityFile(file);
    }
    await sleep(250);
    last = readPopularityFile(file);
  }
  return last;
}

/** Per-aircraft 24-hour view counts, the part of a snapshot two runs must agree on. */
export function viewCounts(popularity: Popularity | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [slug, a] of Object.entries(popularity?.aircraft ?? {}).sort(([x], [y]) => x.localeCompare(y))) out[slug] = a.views.h24;
  return out;
}
