import type { Database, Statement } from 'better-sqlite3';
import { type DataSource, QueryFailedError } from 'typeorm';

export type Param = string | number | null;

interface PgPool {
  query(
    sql: string,
    params: readonly Param[],
  ): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Plain SQL beside TypeORM, for the few statements every message runs: on SQLite, statements
 * prepared once and run synchronously (a transaction then takes one turn of the event loop and
 * nothing can interleave with it); on PostgreSQL, one round trip per statement, straight on the
 * pool. Errors are TypeORM's `QueryFailedError`, as from any other query.
 */
export class DirectSql {
  readonly engine: 'sqlite' | 'postgres';
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly ds: DataSource) {
    this.engine = ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  private get sqlite(): Database {
    return (this.ds.driver as unknown as { databaseConnection: Database }).databaseConnection;
  }

  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private static failed(sql: string, params: readonly Param[], err: unknown): QueryFailedError {
    return err instanceof QueryFailedError
      ? err
      : new QueryFailedError(
          sql,
          params as Param[],
          err instanceof Error ? err : new Error(String(err)),
        );
  }

  /** SQLite: runs a writing statement; the number of rows it changed. */
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

  /** SQLite: `work` in one transaction, committed when it returns, rolled back when it throws. */
  transaction<T>(work: () => T): T {
    return this.sqlite.transaction(work)();
  }

  /** PostgreSQL: one statement; its rows and the number of rows it touched. */
  async pg<T>(sql: string, params: readonly Param[]): Promise<{ rows: T[]; count: number }> {
    const pool = (this.ds.driver as unknown as { master: PgPool }).master;
    try {
      const result = await pool.query(sql, params);
      return { rows: result.rows as T[], count: result.rowCount ?? 0 };
    } catch (err) {
      // A refused connection is not a query that failed; it is passed on as the pool gave it.
      if (
        err instanceof Error &&
        'code' in err &&
        typeof err.code === 'string' &&
        /^[0-9A-Z]{5}$/.test(err.code)
      ) {
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
