import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The database an e2e test runs on. With DATABASE_URL set to a postgres:// URL, every call makes
 * a fresh database on that server (dropped by `drop`); otherwise an in-memory SQLite database,
 * or a SQLite file when the test needs one to survive a restart.
 */
export interface TestDatabase {
  url: string;
  engine: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export const testEngine = (): 'sqlite' | 'postgres' =>
  /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? 'postgres' : 'sqlite';

export async function createTestDatabase(sqliteFile?: string): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL ?? '';
  if (testEngine() === 'postgres') {
    const name = `gw_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      engine: 'postgres',
      drop: async () => {
        const c = new Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  return {
    url: sqliteFile ? `sqlite:${sqliteFile}` : 'sqlite::memory:',
    engine: 'sqlite',
    drop: async () => undefined,
  };
}
