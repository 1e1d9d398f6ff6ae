import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** A record as the collector hands it to a sink: the same shape it would give Kafka. */
export interface LogRecord {
  topic: string;
  key: string;
  /** JSON text of an `EventRecord` (shared/src/records.ts). */
  value: string;
}

export interface StoredRecord extends LogRecord {
  /** Position in the log: strictly increasing across all topics, gaps within one topic. */
  offset: number;
}

/**
 * The embedded durable log: an ordered, append-only log in one SQLite file (`node:sqlite`),
 * the one-machine stand-in for Kafka. The collector appends, the consumer reads, each from its
 * own process (WAL mode lets a reader run beside the writer).
 *
 * An append returns only after SQLite has committed and fsynced it (`synchronous=FULL`), so a
 * 2xx after `append` obeys the durability rule. Each topic is one partition, `<topic>:0`, whose
 * offsets are the log's sequence numbers; "next offset" is the last read offset + 1.
 *
 * @example
 * const log = EmbeddedLog.open('.data/events.db');
 * log.append([{ topic: TOPICS.views, key: 'concorde', value: JSON.stringify(record) }]);
 * const batch = log.read(TOPICS.views, 0, 500);
 */
export class EmbeddedLog {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #read: StatementSync;
  readonly #readLast: StatementSync;
  readonly #end: StatementSync;
  readonly #firstFrom: StatementSync;
  readonly #deleteBelow: StatementSync;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#insert = db.prepare('INSERT INTO log (topic, key, value) VALUES (?, ?, ?)');
    this.#read = db.prepare('SELECT offset, topic, key, value FROM log WHERE topic = ? AND offset >= ? ORDER BY offset LIMIT ?');
    this.#readLast = db.prepare('SELECT offset, topic, key, value FROM (SELECT offset, topic, key, value FROM log WHERE topic = ? ORDER BY offset DESC LIMIT ?) ORDER BY offset');
    this.#end = db.prepare('SELECT COALESCE(MAX(offset), -1) + 1 AS next FROM log WHERE topic = ?');
    this.#firstFrom = db.prepare('SELECT offset, value FROM log WHERE offset >= ? ORDER BY offset LIMIT 1');
    this.#deleteBelow = db.prepare('DELETE FROM log WHERE topic = ? AND offset < ?');
  }

  /** Opens (creating when absent) the log at `path`. Use ':memory:' in unit tests. */
  static open(path: string): EmbeddedLog {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS log (
        offset INTEGER PRIMARY KEY AUTOINCREMENT,
        topic  TEXT NOT NULL,
        key    TEXT NOT NULL,
        value  TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS log_topic_offset ON log (topic, offset);
    `);
    return new EmbeddedLog(path, db);
  }

  /** Appends all records in one transaction, durable on return. Returns their offsets. */
  append(records: readonly LogRecord[]): number[] {
    if (records.length === 0) return [];
    const offsets: number[] = [];
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const r of records) {
        offsets.push(Number(this.#insert.run(r.topic, r.key, r.value).lastInsertRowid));
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    return offsets;
  }

  /** Up to `limit` records of `topic` from `fromOffset` on (inclusive), in log order. */
  read(topic: string, fromOffset: number, limit: number): StoredRecord[] {
    return this.#read.all(topic, fromOffset, limit).map((row) => ({
      offset: Number(row.offset),
      topic: String(row.topic),
      key: String(row.key),
      value: String(row.value),
    }));
  }

  /** The last `limit` records of `topic`, in log order. */
  readLast(topic: string, limit: number): StoredRecord[] {
    return this.#readLast.all(topic, limit).map((row) => ({ offset: Number(row.offset), topic: String(row.topic), key: String(row.key), value: String(row.value) }));
  }

  /** The offset the next record of `topic` will have at the earliest (for lag). */
  endOffset(topic: string): number {
    return Number(this.#end.get(topic)?.next ?? 0);
  }

  /**
   * Deletes the records of `topic` below `passedOffset` (what its reader has stored as read) that
   * were received more than `retentionMs` before `now`, so a long-running embedded setup does not
   * fill the disk. Records are appended in receive order, so the cut is found by binary search on
   * the offset (reading each probe's `receivedAt`), not by scanning. Returns the rows deleted.
   */
  truncate(topic: string, passedOffset: number, retentionMs: number, now = Date.now()): number {
    const cutoff = now - retentionMs;
    const receivedAt = (offset: number): { offset: number; at: number } | null => {
      const row = this.#firstFrom.get(offset);
      if (!row) return null;
      const at = Number((JSON.parse(String(row.value)) as { receivedAt?: unknown }).receivedAt);
      return { offset: Number(row.offset), at: Number.isFinite(at) ? at : Number.POSITIVE_INFINITY };
    };
    // The first offset received at or after the cutoff: everything before it is past retention.
    let lo = 0;
    let hi = passedOffset;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const probe = receivedAt(mid);
      if (probe === null || probe.offset >= passedOffset) hi = mid;
      else if (probe.at < cutoff) lo = probe.offset + 1;
      else hi = mid;
    }
    return Number(this.#deleteBelow.run(topic, Math.min(lo, passedOffset)).changes);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
