import Database from 'better-sqlite3';
import { type DataSource, QueryFailedError } from 'typeorm';
import { DirectSql } from './direct-sql';

/** A DirectSql on its own in-memory SQLite connection, with every statement the connection ran. */
function sqliteSql(): {
  sql: DirectSql;
  db: Database.Database;
  ran: string[];
  commits: () => number;
} {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  const ran: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    ran.push(source);
    return prepare(source);
  });
  // Counts the transactions begun outside any other, each of which ends in one commit.
  let topLevel = 0;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: () => unknown) => {
    const run = transaction(fn);
    return () => {
      if (!db.inTransaction) topLevel += 1;
      return run();
    };
  }) as typeof db.transaction;
  const ds = { options: { type: 'better-sqlite3' }, driver: { databaseConnection: db } };
  return { sql: new DirectSql(ds as unknown as DataSource), db, ran, commits: () => topLevel };
}

const insert = 'INSERT INTO t (v) VALUES (?)';

describe('DirectSql on SQLite', () => {
  it('commits the writes of one turn of the event loop in one transaction', async () => {
    const { sql, db, commits } = sqliteSql();
    const writes = ['a', 'b', 'c'].map((v) => sql.write(() => sql.run(insert, [v])));
    // Nothing is written before the turn ends, so a caller is answered only after the commit.
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    await expect(Promise.all(writes)).resolves.toEqual([1, 1, 1]);
    expect(db.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([
      { v: 'a' },
      { v: 'b' },
      { v: 'c' },
    ]);
    expect(commits()).toBe(1);
    await sql.write(() => sql.run(insert, ['d']));
    expect(commits()).toBe(2);
    expect(db.inTransaction).toBe(false);
  });

  it('fails only the write that throws, undoing all of it, and commits the others', async () => {
    const { sql, db } = sqliteSql();
    const ok1 = sql.write(() => sql.run(insert, ['x']));
    const bad = sql.write(() => {
      sql.run(insert, ['y']);
      sql.run(insert, ['x']);
    });
    const ok2 = sql.write(() => sql.run(insert, ['z']));
    await expect(ok1).resolves.toBe(1);
    const err: unknown = await bad.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError).driverError).toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    await expect(ok2).resolves.toBe(1);
    expect(db.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'x' }, { v: 'z' }]);
  });

  it('rejects a lone failing write with its own error and leaves nothing behind', async () => {
    const { sql, db } = sqliteSql();
    await sql.write(() => sql.run(insert, ['x']));
    const err: unknown = await sql
      .write(() => {
        sql.run(insert, ['new']);
        sql.run(insert, ['x']);
      })
      .catch((e: unknown) => e);
    expect((err as QueryFailedError).driverError).toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(db.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'x' }]);
  });

  it('prepares each statement once', async () => {
    const { sql, ran } = sqliteSql();
    for (const v of ['a', 'b', 'c']) await sql.write(() => sql.run(insert, [v]));
    expect(sql.get('SELECT count(*) AS n FROM t', [])).toEqual({ n: 3 });
    expect(sql.get('SELECT count(*) AS n FROM t', [])).toEqual({ n: 3 });
    expect(ran.filter((s) => s === insert)).toHaveLength(1);
    expect(ran.filter((s) => s.startsWith('SELECT count'))).toHaveLength(1);
  });
});
