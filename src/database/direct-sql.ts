import type { Database, Statement } from 'better-sqlite3';
import { type DataSource, QueryFailedError } from 'typeorm';

export type Param = string | number | null;

interface PgPool {
  query(
    sql: string,
    params: readonly Param[],
  ): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** What every `DirectSql` on one SQLite connection shares: its statements and its write queue. */
interface SqliteShared {
  statements: Map<string, Statement>;
  queue: QueuedWrite[];
  flushing: boolean;
}

const sharedBySqlite = new WeakMap<Database, SqliteShared>();

/**
 * Plain SQL beside TypeORM, for the few statements every message runs, with errors as TypeORM's
 * `QueryFailedError` like any other query.
 *
 * On SQLite, statements are prepared once and run synchronously, and writes are committed in
 * groups: every write queued during one turn of the event loop goes into one transaction (each in
 * its own savepoint, so that one failing write fails alone), and each caller is answered once that
 * transaction is committed. A commit costs far more than the rows it writes, and SQLite has one
 * writer, so this is where the time goes when many messages arrive at once.
 *
 * On PostgreSQL, each call is one statement, one round trip, straight on the pool.
 */
export class DirectSql {
  readonly engine: 'sqlite' | 'postgres';

  constructor(private readonly ds: DataSource) {
    this.engine = ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  private get sqlite(): Database {
    return (this.ds.driver as unknown as { databaseConnection: Database }).databaseConnection;
  }

  private get shared(): SqliteShared {
    const db = this.sqlite;
    let shared = sharedBySqlite.get(db);
    if (!shared) {
      shared = { statements: new Map(), queue: [], flushing: false };
      sharedBySqlite.set(db, shared);
    }
    return shared;
  }

  private statement(sql: string): Statement {
    const { statements } = this.shared;
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  }

  private static failed(sql: string, params: readonly Param[], err: unknown): QueryFailedError {
    return err instanceof QueryFailedError
      ? err
      : new QueryFailedError(
          sql,
          params as Param[],
          // Not `instanceof Error`: a native module's errors may come from another realm.
          typeof err === 'object' && err !== null ? (err as Error) : new Error(String(err)),
        );
  }

  /** SQLite, inside `write`: runs a writing statement; the number of rows it changed. */
  run(sql: string, params: readonly Param[]): number {
    try {
      return this.statement(sql).run(...params).changes;
    } catch (err) {
      throw DirectSql.failed(sql, params, err);
    }
  }

  /** SQLite: the first row a query returns. */
  get<T>(sql: string, params: readonly Param[]): T | undefined {
    try {
      return this.statement(sql).get(...params) as T | undefined;
    } catch (err) {
      throw DirectSql.failed(sql, params, err);
    }
  }

  /**
   * SQLite: runs `work` (synchronous `run` calls) atomically, in the transaction of this turn of
   * the event loop; resolves with its result once that transaction is committed, rejects when
   * `work` throws (its changes undone) or the commit fails.
   */
  write<T>(work: () => T): Promise<T> {
    const shared = this.shared;
    return new Promise<T>((resolve, reject) => {
      shared.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!shared.flushing) {
        shared.flushing = true;
        setImmediate(() => this.flush(shared));
      }
    });
  }

  private flush(shared: SqliteShared): void {
    const batch = shared.queue;
    shared.queue = [];
    shared.flushing = false;
    const db = this.sqlite;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    const alone = batch.length === 1;
    try {
      db.transaction(() => {
        for (const item of batch) {
          try {
            // Alone in the group, a write needs no savepoint of its own.
            outcomes.push({ ok: true, value: alone ? item.work() : db.transaction(item.work)() });
          } catch (err) {
            outcomes.push({ ok: false, err });
            if (alone) throw err;
          }
        }
      })();
    } catch (err) {
      const failedAlone = alone && outcomes[0]?.ok === false;
      for (const item of batch)
        item.reject(failedAlone ? err : DirectSql.failed('COMMIT', [], err));
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome ? outcome.err : new Error('the write was not run'));
    });
  }

  /** PostgreSQL: one statement; its rows and the number of rows it touched. */
  async pg<T>(sql: string, params: readonly Param[]): Promise<{ rows: T[]; count: number }> {
    const pool = (this.ds.driver as unknown as { master: PgPool }).master;
    try {
      const result = await pool.query(sql, params);
      return { rows: result.rows as T[], count: result.rowCount ?? 0 };
    } catch (err) {
      // A refused connection is not a query that failed; it is passed on as the pool gave it.
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
        throw DirectSql.failed(sql, params, err);
      }
      throw err;
    }
  }
}

/** `$1, $2, ...` from `start`, or `?, ?, ...`: the placeholders of `count` values. */
export function placeholders(engine: 'sqlite' | 'postgres', count: number, start = 1): string {
  return Array.from({ length: count }, (_, i) =>
    engine === 'postgres' ? `$${start + i}` : '?',
  ).join(', ');
}

/** Column names, each quoted (`from` and `to` are reserved words). */
export const columnList = (columns: readonly string[]): string =>
  columns.map((c) => `"${c}"`).join(', ');

/** A simple-json column's value as TypeORM stores it: JSON text, and NULL for null. */
export const json = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);
