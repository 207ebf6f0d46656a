/*
 * `.env` in the working directory of the built server, and `.env.example`: every variable the
 * server reads is documented there with a value it accepts.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseEnvironment } from '../src/config/environment';
import { api } from './utils/api';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'main.js');
const EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8');

/** The variables src/config/environment.ts reads. */
function variablesRead(): string[] {
  const source = readFileSync(join(ROOT, 'src', 'config', 'environment.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of source.matchAll(/env\.([A-Z][A-Z0-9_]+)|env, '([A-Z][A-Z0-9_]+)'/g))
    names.add((m[1] ?? m[2])!);
  return [...names].sort();
}

interface Running {
  baseUrl: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `node dist/main.js` in `cwd` with exactly `env` (plus PATH). */
function start(cwd: string, env: Record<string, string>): Promise<Running> {
  if (!existsSync(MAIN))
    throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start:\n${out}`));
    }, 20000);
    const look = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          baseUrl: m[1],
          output: () => out,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening:\n${out}`));
    });
  });
}

describe('.env', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gw-envfile-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is read from the working directory, and the real environment wins over it', async () => {
    writeFileSync(
      join(dir, '.env'),
      [
        'ADMIN_API_KEY=key-from-the-file-1234',
        `JAMBONES_MESSAGING='{"fromfile":{"module":"sandbox"}}'`,
        'DATABASE_URL=sqlite::memory:',
        'PORT=1',
        'HOST=127.0.0.1',
      ].join('\n'),
    );
    const gw = await start(dir, { ADMIN_API_KEY: 'key-from-the-environment-5678', PORT: '0' });
    try {
      const withEnvKey = await api(
        gw.baseUrl,
        'GET',
        '/v1/MessagingProviders',
        undefined,
        'key-from-the-environment-5678',
      );
      expect(withEnvKey.status).toBe(200);
      // Only in the file: taken from it.
      expect(withEnvKey.body.map((p: { name: string }) => p.name)).toEqual(['fromfile']);
      const withFileKey = await api(
        gw.baseUrl,
        'GET',
        '/v1/MessagingProviders',
        undefined,
        'key-from-the-file-1234',
      );
      expect(withFileKey.status).toBe(401);
      // PORT=1 in the file lost to PORT=0 in the environment.
      expect(gw.baseUrl).not.toMatch(/:1$/);
    } finally {
      expect(await gw.stop()).toBe(0);
    }
  });

  it('is optional', async () => {
    const gw = await start(dir, { DATABASE_URL: 'sqlite::memory:', PORT: '0', HOST: '127.0.0.1' });
    try {
      expect((await api(gw.baseUrl, 'GET', '/health/live', undefined, null)).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});

describe('.env.example', () => {
  const documented = parseEnv(EXAMPLE);

  it('sets every variable the server reads', () => {
    expect(Object.keys(documented).sort()).toEqual(variablesRead());
  });

  it('documents each variable with a comment above it', () => {
    const lines = EXAMPLE.split('\n');
    for (const name of variablesRead()) {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect({ name, commented: lines[at - 1]?.startsWith('#') }).toEqual({
        name,
        commented: true,
      });
    }
  });

  it('holds values the server accepts', () => {
    expect(() => parseEnvironment(documented)).not.toThrow();
  });

  it('works as a .env, copied as is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-envexample-'));
    try {
      copyFileSync(join(ROOT, '.env.example'), join(dir, '.env'));
      // Only the port and address are set from outside, so that the test does not take port 3000.
      const gw = await start(dir, { PORT: '0', HOST: '127.0.0.1' });
      try {
        expect((await api(gw.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
        const providers = await api(
          gw.baseUrl,
          'GET',
          '/v1/MessagingProviders',
          undefined,
          documented.ADMIN_API_KEY,
        );
        expect(providers.status).toBe(200);
        expect(existsSync(join(dir, 'data', 'messaging.sqlite'))).toBe(true);
      } finally {
        expect(await gw.stop()).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
