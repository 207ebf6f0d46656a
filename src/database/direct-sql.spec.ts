import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type DataSource, QueryFailedError } from 'typeorm';
import { DirectSql, type WriteStep } from './direct-sql';

interface Setup {
  sql: DirectSql;
  db: Database.Database;
  ran: string[];
  commits: () => number;
}

/**
 * A DirectSql over a data source whose connection is `db` (an in-memory database, or a file the
 * writer thread opens too), with the statements the connection prepared and its commits counted.
 */
function directSql(file: string): Setup {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const ran: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = (source: string) => {
    ran.push(source);
    return prepare(source);
  };
  // Counts the transactions begun outside any other, each of which ends in one commit.
  let topLevel = 0;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: () => unknown) => {
    const run = transaction(fn);
    return (...args: unknown[]) => {
      if (!db.inTransaction) topLevel += 1;
      return (run as (...a: unknown[]) => unknown)(...args);
    };
  }) as typeof db.transaction;
  const ds = {
    options: { type: 'better-sqlite3', database: file },
    driver: { databaseConnection: db },
  };
  return { sql: new DirectSql(ds as unknown as DataSource), db, ran, commits: () => topLevel };
}

const insert = (v: string): WriteStep[] => [{ sql: 'INSERT INTO t (v) VALUES (?)', params: [v] }];
const values = (db: Database.Database): unknown[] =>
  db
    .prepare('SELECT v FROM t ORDER BY id')
    .all()
    .map((r) => (r as { v: string }).v);

describe.each([
  ['an in-memory database, on its own connection', false],
  ['a database file, in the writer thread', true],
])('DirectSql writes on SQLite: %s', (_name, onFile) => {
  let dir: string;
  let setup: Setup;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'direct-sql-'));
    setup = directSql(onFile ? join(dir, 'db.sqlite') : ':memory:');
  });
  afterEach(async () => {
    await setup.sql.close();
    setup.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each write once it is committed, with the rows its first statement changed', async () => {
    const { sql, db } = setup;
    const writes = ['a', 'b', 'c'].map((v) => sql.write(insert(v)));
    // Nothing is written before the turn ends, so no caller is answered before the commit.
    expect(values(db)).toEqual([]);
    await expect(Promise.all(writes)).resolves.toEqual([1, 1, 1]);
    expect(values(db)).toEqual(['a', 'b', 'c']);
  });

  it('fails only the write that throws, undoing all of it, and commits the others', async () => {
    const { sql, db } = setup;
    const ok1 = sql.write(insert('x'));
    const bad = sql.write([...insert('y'), ...insert('x')]);
    const ok2 = sql.write(insert('z'));
    await expect(ok1).resolves.toBe(1);
    const err: unknown = await bad.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError).query).toBe('INSERT INTO t (v) VALUES (?)');
    expect((err as QueryFailedError).driverError).toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    await expect(ok2).resolves.toBe(1);
    expect(values(db)).toEqual(['x', 'z']);
  });

  it('rejects a lone failing write with its own error and leaves nothing of it behind', async () => {
    const { sql, db } = setup;
    await sql.write(insert('x'));
    const err: unknown = await sql
      .write([...insert('new'), ...insert('x')])
      .catch((e: unknown) => e);
    expect((err as QueryFailedError).driverError).toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(values(db)).toEqual(['x']);
  });

  it('runs an `ifChanged` step only when the step before it changed a row', async () => {
    const { sql, db } = setup;
    await sql.write(insert('a'));
    const rename = (from: string, to: string): WriteStep[] => [
      { sql: 'UPDATE t SET v = ? WHERE v = ?', params: [to, from] },
      { ...insert(`${to} noted`)[0]!, ifChanged: true },
    ];
    await expect(sql.write(rename('missing', 'b'))).resolves.toBe(0);
    await expect(sql.write(rename('a', 'b'))).resolves.toBe(1);
    expect(values(db)).toEqual(['b', 'b noted']);
  });

  it('keeps writing on the connection of the data source after close', async () => {
    const { sql, db } = setup;
    await sql.write(insert('before'));
    await sql.close();
    await sql.write(insert('after'));
    expect(values(db)).toEqual(['before', 'after']);
  });
});

describe('DirectSql on a SQLite database file', () => {
  it("writes on the writer thread's connection, and on the data source's once closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'direct-sql-'));
    const { sql, db, commits } = directSql(join(dir, 'db.sqlite'));
    try {
      await Promise.all(['a', 'b'].map((v) => sql.write(insert(v))));
      expect(commits()).toBe(0);
      expect(values(db)).toEqual(['a', 'b']);
      await sql.close();
      await sql.write(insert('c'));
      expect(commits()).toBe(1);
      expect(values(db)).toEqual(['a', 'b', 'c']);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DirectSql on an in-memory SQLite database', () => {
  it('commits the writes of one turn of the event loop in one transaction', async () => {
    const { sql, commits } = directSql(':memory:');
    await Promise.all(['a', 'b', 'c'].map((v) => sql.write(insert(v))));
    expect(commits()).toBe(1);
    await sql.write(insert('d'));
    expect(commits()).toBe(2);
  });

  it('prepares each statement once', async () => {
    const { sql, ran } = directSql(':memory:');
    for (const v of ['a', 'b', 'c']) await sql.write(insert(v));
    expect(sql.get('SELECT count(*) AS n FROM t', [])).toEqual({ n: 3 });
    expect(sql.get('SELECT count(*) AS n FROM t', [])).toEqual({ n: 3 });
    expect(ran.filter((s) => s.startsWith('INSERT'))).toHaveLength(1);
    expect(ran.filter((s) => s.startsWith('SELECT count'))).toHaveLength(1);
  });
});
