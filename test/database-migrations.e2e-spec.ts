import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { createTestApp } from './utils/create-app';
import { createTestDatabase, testEngine } from './utils/test-database';
import { expectStatus, rest } from './utils/resources';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const TABLES = [
  'accounts',
  'api_keys',
  'applications',
  'phone_numbers',
  'messages',
  'message_events',
  'webhook_deliveries',
  'delivery_attempts',
];

/** The tables of a database, read through a plain connection that runs no migration. */
async function tablesOf(url: string): Promise<{ tables: string[]; migrations: string[] }> {
  const source = new DataSource(
    url.startsWith('sqlite:')
      ? { type: 'better-sqlite3', database: url.slice('sqlite:'.length) }
      : { type: 'postgres', url },
  );
  await source.initialize();
  try {
    const runner = source.createQueryRunner();
    const present: string[] = [];
    for (const table of [...TABLES, 'migrations']) {
      if (await runner.hasTable(table)) present.push(table);
    }
    await runner.release();
    const migrations = present.includes('migrations')
      ? await source.query<Array<{ name: string }>>('SELECT name FROM migrations ORDER BY id')
      : [];
    return { tables: present, migrations: migrations.map((m) => m.name) };
  } finally {
    await source.destroy();
  }
}

/** `npm run migration:run` as an operator runs it, against DATABASE_URL. */
async function migrationRun(databaseUrl: string): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', 'migration:run'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return stdout;
}

describe('database migrations', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-migrate-'));
    // `npm test` builds first; a bare jest run may not have.
    if (!existsSync(join(ROOT, 'dist/database/migrate.js'))) {
      await run('npm', ['run', 'build'], { cwd: ROOT });
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`creates the whole schema on an empty ${testEngine()} database at start-up`, async () => {
    const db = await createTestDatabase(
      testEngine() === 'sqlite' ? join(dir, 'app.sqlite') : undefined,
    );
    try {
      if (db.engine === 'sqlite') expect(existsSync(join(dir, 'app.sqlite'))).toBe(false);
      const gw = await createTestApp({ db });
      try {
        const runner = gw.app.get(DataSource).createQueryRunner();
        for (const table of TABLES)
          expect([table, await runner.hasTable(table)]).toEqual([table, true]);
        await runner.release();
        // The schema is usable, not only present.
        const account = expectStatus(
          await rest(gw.baseUrl, 'POST', '/v1/Accounts', { body: { name: 'fresh' } }),
          201,
        );
        expectStatus(await rest(gw.baseUrl, 'GET', `/v1/Accounts/${account.body.sid}`), 200);
      } finally {
        await gw.close({ keepDatabase: true });
      }
      const { tables, migrations } = await tablesOf(db.url);
      expect(tables.sort()).toEqual([...TABLES, 'migrations'].sort());
      expect(migrations).toEqual(['InitialSchema1764000000000']);
    } finally {
      await db.drop();
    }
  });

  it('npm run migration:run migrates a fresh SQLite file, then finds nothing pending', async () => {
    const url = `sqlite:${join(dir, 'nested', 'cli.sqlite')}`;
    const first = await migrationRun(url);
    expect(first).toContain('migrations applied: InitialSchema1764000000000');
    const { tables, migrations } = await tablesOf(url);
    expect(tables.sort()).toEqual([...TABLES, 'migrations'].sort());
    expect(migrations).toEqual(['InitialSchema1764000000000']);
    expect(await migrationRun(url)).toContain('migrations applied: none pending');

    // The gateway starts on the database the command migrated.
    const gw = await createTestApp({ env: { DATABASE_URL: url } });
    try {
      expectStatus(await rest(gw.baseUrl, 'POST', '/v1/Accounts', { body: { name: 'cli' } }), 201);
    } finally {
      await gw.close();
    }
  });

  (testEngine() === 'postgres' ? it : it.skip)(
    'npm run migration:run migrates a fresh PostgreSQL database',
    async () => {
      const db = await createTestDatabase();
      try {
        expect((await tablesOf(db.url)).tables).toEqual([]);
        expect(await migrationRun(db.url)).toContain(
          'migrations applied: InitialSchema1764000000000',
        );
        const { tables, migrations } = await tablesOf(db.url);
        expect(tables.sort()).toEqual([...TABLES, 'migrations'].sort());
        expect(migrations).toEqual(['InitialSchema1764000000000']);
        expect(await migrationRun(db.url)).toContain('migrations applied: none pending');
      } finally {
        await db.drop();
      }
    },
  );

  it('npm run migration:run fails with a one-line error for a bad DATABASE_URL', async () => {
    const failed = await migrationRun('mysql://nope').then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('migration failed: DATABASE_URL');
  });
});
