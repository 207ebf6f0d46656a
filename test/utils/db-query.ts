import Database from 'better-sqlite3';
import { Client } from 'pg';

/** Runs one read query straight against a test database (sqlite:<file> or postgres://). */
export async function queryDb<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
