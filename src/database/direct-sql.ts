import { Worker } from 'node:worker_threads';
import type { Database, Statement } from 'better-sqlite3';
import { type DataSource, QueryFailedError } from 'typeorm';

export type Param = string | number | null;

/** One statement of a write; `ifChanged`: run only when the statement before it changed a row. */
export interface WriteStep {
  sql: string;
  params: Param[];
  ifChanged?: boolean;
}

interface PgPool {
  query(config: {
    name: string;
    text: string;
    values: readonly Param[];
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * PostgreSQL: the name each statement is prepared under, the same for every connection of the
 * process. The server parses and plans a named statement once per connection instead of on every
 * call, and the driver then sends only its parameters.
 */
const pgStatementNames = new Map<string, string>();

function pgStatementName(sql: string): string {
  let name = pgStatementNames.get(sql);
  if (name === undefined) {
    name = `gateway_${pgStatementNames.size + 1}`;
    pgStatementNames.set(sql, name);
  }
  return name;
}

/** A failure as it crosses from the writer thread: plain data. */
interface FailureData {
  code?: string;
  message: string;
  sql: string;
}

type WriteOutcome = { ok: true; changes: number } | { ok: false; error: FailureData };
type GroupResult = { outcomes: WriteOutcome[] } | { commitError: FailureData };

/**
 * Runs a group of writes (each a list of steps) in one transaction on `db`, each write in a
 * savepoint of its own when the group holds more than one, so that a failing write fails alone.
 * Gives, for each write, the number of rows its first statement changed, or its error.
 * It refers to nothing but its parameters: the writer thread runs it from its source text.
 */
function executeGroup(
  db: Database,
  statements: Map<string, Statement>,
  group: WriteStep[][],
): GroupResult {
  let current = 'BEGIN';
  const failure = (err: unknown): FailureData => {
    const e = err as { code?: unknown; message?: unknown } | null;
    return {
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      message: typeof e?.message === 'string' ? e.message : String(err),
      sql: current,
    };
  };
  const runWrite = (steps: WriteStep[]): number => {
    let first = 0;
    let last = 1;
    steps.forEach((step, i) => {
      if (step.ifChanged && last === 0) return;
      current = step.sql;
      let stmt = statements.get(step.sql);
      if (!stmt) {
        stmt = db.prepare(step.sql);
        statements.set(step.sql, stmt);
      }
      last = stmt.run(...step.params).changes;
      if (i === 0) first = last;
    });
    return first;
  };
  const outcomes: WriteOutcome[] = [];
  const alone = group.length === 1;
  // Alone in the group, a write needs no savepoint of its own. Called inside the transaction,
  // better-sqlite3's transaction function runs its body in a savepoint; built once per group.
  const inSavepoint = alone ? runWrite : db.transaction(runWrite);
  try {
    db.transaction(() => {
      for (const steps of group) {
        try {
          const changes = inSavepoint(steps);
          outcomes.push({ ok: true, changes });
        } catch (err) {
          outcomes.push({ ok: false, error: failure(err) });
          if (alone) throw err;
        }
      }
      current = 'COMMIT';
    })();
  } catch (err) {
    if (!(alone && outcomes[0]?.ok === false)) return { commitError: failure(err) };
  }
  return { outcomes };
}

/** The writer thread: its own connection to the database file, running the groups it is sent. */
function writerThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } =
    require('node:worker_threads') as typeof import('node:worker_threads');
  const { driver, file } = workerData as { driver: string; file: string };
  const Sqlite = require(driver) as typeof import('better-sqlite3');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The settings the data source gives its own connection (see data-source-options.ts).
  const db = new Sqlite(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const statements = new Map<string, Statement>();
  parentPort?.on('message', (m: { id: number; group: WriteStep[][] }) => {
    parentPort.postMessage({ id: m.id, result: executeGroup(db, statements, m.group) });
  });
}

const WRITER_SOURCE = `const executeGroup = ${executeGroup.toString()};\n(${writerThread.toString()})();`;

/**
 * Groups handed to the writer thread at once: it runs them one after the other, and the next is
 * already waiting when one is committed, instead of after a round trip through the event loop.
 */
const MAX_GROUPS_IN_FLIGHT = 2;

interface QueuedWrite {
  steps: WriteStep[];
  resolve: (changes: number) => void;
  reject: (err: unknown) => void;
}

/** What every `DirectSql` on one SQLite connection shares. */
interface SqliteShared {
  statements: Map<string, Statement>;
  queue: QueuedWrite[];
  scheduled: boolean;
  /** The groups sent to the writer thread and not answered yet, by id, oldest first. */
  inFlight: Map<number, QueuedWrite[]>;
  writer?: Worker;
  nextId: number;
  /** After `close`, groups run on the data source's connection. */
  closed: boolean;
}

const sharedBySqlite = new WeakMap<Database, SqliteShared>();

function failedQuery(f: FailureData, params: readonly Param[] = []): QueryFailedError {
  const driverError = Object.assign(new Error(f.message), f.code ? { code: f.code } : {});
  return new QueryFailedError(f.sql, params as Param[], driverError);
}

/**
 * Plain SQL beside TypeORM, for the few statements every message runs, with errors as TypeORM's
 * `QueryFailedError` like any other query.
 *
 * On SQLite, writes are committed in groups: every write queued while the previous group was
 * being committed goes into the next transaction (each in its own savepoint, so that one failing
 * write fails alone), and each caller is answered once that transaction is committed. A commit
 * costs far more than the rows it writes, and SQLite has one writer. For a database file, the
 * groups are run by a thread of their own on its own connection, so that the writing (the
 * write-ahead log, checkpoints) does not hold up requests; an in-memory database cannot be shared
 * with another connection, so there the groups run on the data source's connection, one per turn
 * of the event loop. Reads run on the data source's connection, with statements prepared once.
 *
 * On PostgreSQL, each call is one statement, one round trip, straight on the pool, under a name
 * (prepared once per connection).
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
      shared = {
        statements: new Map(),
        queue: [],
        scheduled: false,
        inFlight: new Map(),
        nextId: 1,
        closed: false,
      };
      sharedBySqlite.set(db, shared);
    }
    return shared;
  }

  /** SQLite: the first row a query returns. */
  get<T>(sql: string, params: readonly Param[]): T | undefined {
    const { statements } = this.shared;
    try {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = this.sqlite.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt.get(...params) as T | undefined;
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      throw failedQuery(
        {
          ...(typeof e.code === 'string' ? { code: e.code } : {}),
          message: typeof e.message === 'string' ? e.message : String(err),
          sql,
        },
        params,
      );
    }
  }

  /**
   * SQLite: runs the steps of one write atomically, in the next group; resolves once the group
   * is committed with the number of rows the first step changed, rejects when a step fails (the
   * whole write undone) or the commit does.
   */
  write(steps: WriteStep[]): Promise<number> {
    const shared = this.shared;
    return new Promise<number>((resolve, reject) => {
      shared.queue.push({ steps, resolve, reject });
      if (!shared.scheduled && shared.inFlight.size < MAX_GROUPS_IN_FLIGHT) {
        shared.scheduled = true;
        // Writes queued in this same turn of the event loop join the group.
        setImmediate(() => {
          shared.scheduled = false;
          this.flush(shared);
        });
      }
    });
  }

  private flush(shared: SqliteShared): void {
    if (shared.inFlight.size >= MAX_GROUPS_IN_FLIGHT || shared.queue.length === 0) return;
    const writes = shared.queue;
    shared.queue = [];
    const group = writes.map((w) => w.steps);
    const file = this.ds.options.database;
    if (shared.closed || typeof file !== 'string' || file === '' || file === ':memory:') {
      this.settle(writes, executeGroup(this.sqlite, shared.statements, group));
      return;
    }
    const writer = (shared.writer ??= this.startWriter(shared, file));
    const id = shared.nextId++;
    shared.inFlight.set(id, writes);
    writer.ref();
    writer.postMessage({ id, group });
  }

  /**
   * Stops the writer thread once the group it is running is committed; writes queued after that
   * run on the data source's connection. For the end of the application.
   */
  async close(): Promise<void> {
    if (this.engine !== 'sqlite') return;
    const shared = this.shared;
    shared.closed = true;
    const writer = shared.writer;
    if (!writer) return;
    while (shared.inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    shared.writer = undefined;
    await writer.terminate();
    this.flush(shared);
  }

  private startWriter(shared: SqliteShared, file: string): Worker {
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file },
      // It keeps nothing but prepared statements: a small heap is plenty, and memory it does not
      // grab under load stays with the rest of the process.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    });
    worker.unref();
    worker.on('message', (m: { id: number; result: GroupResult }) => {
      const writes = shared.inFlight.get(m.id);
      if (!writes) return;
      shared.inFlight.delete(m.id);
      if (shared.queue.length === 0 && shared.inFlight.size === 0) worker.unref();
      this.settle(writes, m.result);
      // What queued up meanwhile is the next group.
      this.flush(shared);
    });
    const lost = (reason: string): void => {
      if (shared.writer === worker) shared.writer = undefined;
      const lostGroups = [...shared.inFlight.values()];
      shared.inFlight.clear();
      for (const writes of lostGroups) {
        this.settle(writes, { commitError: { message: reason, sql: 'COMMIT' } });
      }
      this.flush(shared);
    };
    worker.on('error', (err) => lost(`the SQLite writer thread failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the SQLite writer thread exited (${code})`));
    return worker;
  }

  private settle(writes: QueuedWrite[], result: GroupResult): void {
    writes.forEach((w, i) => {
      const outcome = 'outcomes' in result ? result.outcomes[i] : undefined;
      if (outcome?.ok) w.resolve(outcome.changes);
      else if (outcome) w.reject(failedQuery(outcome.error, stepParams(w.steps, outcome.error)));
      else w.reject(failedQuery('commitError' in result ? result.commitError : noResult));
    });
  }

  /** PostgreSQL: one statement, prepared once per connection; its rows and the number of rows it touched. */
  async pg<T>(sql: string, params: readonly Param[]): Promise<{ rows: T[]; count: number }> {
    const pool = (this.ds.driver as unknown as { master: PgPool }).master;
    try {
      const result = await pool.query({ name: pgStatementName(sql), text: sql, values: params });
      return { rows: result.rows as T[], count: result.rowCount ?? 0 };
    } catch (err) {
      // A refused connection is not a query that failed; it is passed on as the pool gave it.
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
        throw new QueryFailedError(
          sql,
          params as Param[],
          // Not `instanceof Error`: errors may come from another realm.
          typeof err === 'object' && err !== null ? (err as Error) : new Error(String(err)),
        );
      }
      throw err;
    }
  }
}

const noResult: FailureData = { message: 'the write was not run', sql: 'COMMIT' };

/** The parameters of the step that failed, for the error. */
function stepParams(steps: WriteStep[], f: FailureData): Param[] {
  return steps.find((s) => s.sql === f.sql)?.params ?? [];
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
