import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { RowKind, StateRow } from './rows.ts';

/** Where state rows are kept on this member's own disk. */
export interface StateStore {
  /** Applies rows (null values delete) and, optionally, named positions, in one transaction. */
  write(rows: readonly StateRow[], positions?: Readonly<Record<string, string>>): void;
  /** Every stored row of one partition, or of all partitions. */
  rows(partition?: string): Iterable<StateRow>;
  position(name: string): string | undefined;
  close(): void;
}

/**
 * The state rows in one SQLite file (`node:sqlite`, WAL), as the embedded log already does: no new
 * dependency, one transaction per batch, and only the rows a batch changed are written. In Kafka
 * mode this is a cache of the changelog topic (a new member starts empty and restores from the
 * topic); in embedded mode it is the state itself, so each commit is fsynced (`durable`).
 */
export class SqliteStateStore implements StateStore {
  readonly #db: DatabaseSync;
  readonly #upsert: StatementSync;
  readonly #delete: StatementSync;
  readonly #setPosition: StatementSync;
  readonly #getPosition: StatementSync;

  constructor(path: string, options: { durable: boolean }) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = ${options.durable ? 'FULL' : 'NORMAL'};
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS state (
        partition TEXT NOT NULL,
        kind      TEXT NOT NULL,
        bucket    INTEGER NOT NULL,
        item      TEXT NOT NULL,
        value     BLOB NOT NULL,
        PRIMARY KEY (partition, kind, bucket, item)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS position (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.#upsert = this.#db.prepare('INSERT INTO state (partition, kind, bucket, item, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value');
    this.#delete = this.#db.prepare('DELETE FROM state WHERE partition = ? AND kind = ? AND bucket = ? AND item = ?');
    this.#setPosition = this.#db.prepare('INSERT INTO position (name, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value');
    this.#getPosition = this.#db.prepare('SELECT value FROM position WHERE name = ?');
  }

  write(rows: readonly StateRow[], positions: Readonly<Record<string, string>> = {}): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const r of rows) {
        if (r.value) this.#upsert.run(r.partition, r.kind, r.bucket, r.item, r.value);
        else this.#delete.run(r.partition, r.kind, r.bucket, r.item);
      }
      for (const [name, value] of Object.entries(positions)) this.#setPosition.run(name, value);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  *rows(partition?: string): Iterable<StateRow> {
    const statement = partition === undefined
      ? this.#db.prepare('SELECT partition, kind, bucket, item, value FROM state ORDER BY partition, kind, bucket, item')
      : this.#db.prepare('SELECT partition, kind, bucket, item, value FROM state WHERE partition = ? ORDER BY kind, bucket, item');
    const iterator = partition === undefined ? statement.iterate() : statement.iterate(partition);
    for (const row of iterator) {
      yield { partition: String(row.partition), kind: String(row.kind) as RowKind, bucket: Number(row.bucket), item: String(row.item), value: row.value as Uint8Array };
    }
  }

  position(name: string): string | undefined {
    const row = this.#getPosition.get(name);
    return row ? String(row.value) : undefined;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
