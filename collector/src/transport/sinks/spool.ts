import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { LogRecord } from './types.ts';

/**
 * The local durable spool for events Kafka could not acknowledge: an ordered queue in SQLite,
 * fsynced on every append (`synchronous=FULL`), drained oldest first. Bounded by bytes; an append
 * that would pass the bound throws, and the caller answers 503.
 */
export class Spool {
  readonly #db: DatabaseSync;
  readonly #maxBytes: number;
  readonly #insert: StatementSync;
  readonly #oldest: StatementSync;
  readonly #delete: StatementSync;
  #depth = 0;
  #bytes = 0;

  constructor(dir: string, maxBytes: number) {
    mkdirSync(dir, { recursive: true });
    this.#db = new DatabaseSync(join(dir, 'spool.db'));
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
    `);
    this.#maxBytes = maxBytes;
    this.#insert = this.#db.prepare('INSERT INTO spool (topic, key, value) VALUES (?, ?, ?)');
    this.#oldest = this.#db.prepare('SELECT seq, topic, key, value FROM spool ORDER BY seq LIMIT ?');
    this.#delete = this.#db.prepare('DELETE FROM spool WHERE seq <= ?');
    const stats = this.#db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(topic) + LENGTH(key) + LENGTH(value)), 0) AS b FROM spool').get();
    this.#depth = Number(stats?.n ?? 0);
    this.#bytes = Number(stats?.b ?? 0);
  }

  get depth(): number {
    return this.#depth;
  }
  get bytes(): number {
    return this.#bytes;
  }
  get maxBytes(): number {
    return this.#maxBytes;
  }

  /** Appends in order, durable on return. Throws when the spool would pass its byte bound. */
  append(records: readonly LogRecord[]): void {
    const size = records.reduce((sum, r) => sum + r.topic.length + r.key.length + r.value.length, 0);
    if (this.#bytes + size > this.#maxBytes) throw new Error(`spool full (${this.#bytes} of ${this.#maxBytes} bytes)`);
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const r of records) this.#insert.run(r.topic, r.key, r.value);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    this.#depth += records.length;
    this.#bytes += size;
  }

  /** The oldest `limit` records, with the sequence number to acknowledge them by. */
  peek(limit: number): { upTo: number; records: LogRecord[] } {
    const rows = this.#oldest.all(limit);
    const last = rows.at(-1);
    return {
      upTo: last ? Number(last.seq) : 0,
      records: rows.map((row) => ({ topic: String(row.topic), key: String(row.key), value: String(row.value) })),
    };
  }

  /** Removes records up to `upTo` once Kafka has acknowledged them. */
  acknowledge(upTo: number, records: readonly LogRecord[]): void {
    this.#delete.run(upTo);
    this.#depth -= records.length;
    this.#bytes -= records.reduce((sum, r) => sum + r.topic.length + r.key.length + r.value.length, 0);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
