'use strict';
// The PostgreSQL server a run uses: DATABASE_URL when it names one, else the shared test server on
// 127.0.0.1:55432 when it is up, else one started with scripts/test-postgres.sh (and stopped after).
// Each gateway gets a fresh database on it, dropped at the end.
const { execFile } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { Client } = require('pg');

const SHARED = 'postgres://postgres:postgres@127.0.0.1:55432/postgres';
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'test-postgres.sh');

async function reachable(url) {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function runScript(arg) {
  return new Promise((resolve, reject) => {
    execFile(SCRIPT, [arg], { timeout: 300000 }, (err, stdout, stderr) => {
      if (err)
        reject(new Error(`${SCRIPT} ${arg} failed: ${String(stderr).trim().split('\n').pop()}`));
      else resolve(String(stdout));
    });
  });
}

/** `{ baseUrl, stop }`, or `{ skipped: reason }` when no server can be had. */
async function acquirePostgres(log) {
  const given = process.env.DATABASE_URL;
  if (given && /^postgres(ql)?:\/\//.test(given)) {
    if (await reachable(given))
      return { baseUrl: given, source: 'DATABASE_URL', stop: async () => {} };
    return { skipped: 'DATABASE_URL names a PostgreSQL server that does not answer' };
  }
  if (await reachable(SHARED))
    return { baseUrl: SHARED, source: 'already running', stop: async () => {} };
  log('starting PostgreSQL with scripts/test-postgres.sh');
  try {
    const out = await runScript('start');
    const m = /DATABASE_URL=(\S+)/.exec(out);
    if (!m || !(await reachable(m[1])))
      return { skipped: 'scripts/test-postgres.sh started no reachable server' };
    return {
      baseUrl: m[1],
      source: 'started for this run',
      stop: () => runScript('stop').then(() => undefined),
    };
  } catch (err) {
    return { skipped: err.message };
  }
}

/** A fresh database on the server; `drop()` removes it. */
async function createDatabase(baseUrl) {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

module.exports = { acquirePostgres, createDatabase };
