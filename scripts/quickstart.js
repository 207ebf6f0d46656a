#!/usr/bin/env node
'use strict';
/*
 * `npm start`: the gateway with a working demo on a fresh clone. Builds when the build is missing
 * or older than the sources, then starts the server in quickstart mode with, for whatever is not
 * set in the environment or in .env:
 *   - JAMBONES_MESSAGING: the built-in sandbox provider;
 *   - ADMIN_API_KEY: one generated on the first start, kept in data/admin-api-key (mode 600);
 *   - QUICKSTART=true: the demo account, API key, application and number, printed once.
 * Everything else keeps its usual default (SQLite in data/messaging.sqlite, port 3000).
 */
const { randomBytes } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
const ADMIN_KEY_FILE = path.join('data', 'admin-api-key');

/** The newest modification time under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

function buildIfNeeded() {
  const sources = path.join(ROOT, 'src');
  if (
    fs.existsSync(MAIN) &&
    (!fs.existsSync(sources) || fs.statSync(MAIN).mtimeMs >= newest(sources))
  ) {
    return;
  }
  let cli;
  try {
    cli = require.resolve('@nestjs/cli/bin/nest.js', { paths: [ROOT] });
  } catch {
    console.error('The gateway is not built and the build tools are missing: run `npm ci` first.');
    process.exit(1);
  }
  console.log('Building the gateway (once; again only when the sources change)...');
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The build failed (see above).');
    process.exit(build.status ?? 1);
  }
}

/** The admin key: the one set, else the one kept from an earlier start, else a new one. */
function adminKey() {
  if (process.env.ADMIN_API_KEY) return;
  if (fs.existsSync(ADMIN_KEY_FILE)) {
    process.env.ADMIN_API_KEY = fs.readFileSync(ADMIN_KEY_FILE, 'utf8').trim();
    console.log(`Admin API key: the one in ${ADMIN_KEY_FILE} (generated at the first start).`);
    return;
  }
  const key = randomBytes(24).toString('base64url');
  fs.mkdirSync(path.dirname(ADMIN_KEY_FILE), { recursive: true });
  fs.writeFileSync(ADMIN_KEY_FILE, `${key}\n`, { mode: 0o600 });
  process.env.ADMIN_API_KEY = key;
  console.log(
    `Admin API key (generated, kept in ${ADMIN_KEY_FILE}; set ADMIN_API_KEY to choose one):`,
  );
  console.log(`  ${key}`);
}

// .env first, so that what it sets counts as set; the server reads it again, to the same effect.
if (fs.existsSync('.env')) process.loadEnvFile('.env');
buildIfNeeded();
if (!process.env.JAMBONES_MESSAGING) {
  process.env.JAMBONES_MESSAGING = JSON.stringify({ sandbox: { module: 'sandbox' } });
  console.log(
    'Provider: the built-in sandbox (sends are kept, not delivered; set JAMBONES_MESSAGING for real ones).',
  );
}
adminKey();
if (process.env.QUICKSTART === undefined || process.env.QUICKSTART === '')
  process.env.QUICKSTART = 'true';
require(MAIN);
