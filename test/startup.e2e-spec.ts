/*
 * JAMBONES_MESSAGING through the real start-up path: the built server (`node dist/main.js`) as its
 * own process, as an operator runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'main.js');
/** The processes run here, so that `./x.js` names a fixture plug-in. */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'plugins');
const ORIGINALS = join(ROOT, 'node_modules', '@jambonz');
const ADMIN_KEY = 'startup-admin-key-0123456789';
const PROCESS_TIMEOUT_MS = 20000;

/** Configured in a provider that is fine, beside the broken one: none may ever be printed. */
const SECRETS = ['pw-secret-1', 'url-secret-1', 'tok-secret-1', 'query-secret-1'];
const GOOD = {
  module: 'peerless',
  options: {
    url: 'https://urluser:url-secret-1@peerless.example/submit?api_key=query-secret-1',
    auth: { username: 'pl-user', password: 'pw-secret-1' },
    token: 'tok-secret-1',
  },
};

function requireBuild(): void {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` does it)`);
  }
}

function childEnv(messaging: string): NodeJS.ProcessEnv {
  // Nothing inherited but PATH: the test's own DATABASE_URL or JAMBONES_MESSAGING must not leak in.
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: 'sqlite::memory:',
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'info',
    JAMBONES_MESSAGING: messaging,
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the server until it exits; a process still running after the timeout fails the test. */
function runToExit(messaging: string): Promise<Exit> {
  requireBuild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: FIXTURES,
      env: childEnv(messaging),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the server did not exit within ${PROCESS_TIMEOUT_MS} ms\n${stdout}\n${stderr}`),
      );
    }, PROCESS_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface Running {
  baseUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts the server and waits for its "listening on" line. */
function startServer(messaging: string): Promise<Running> {
  requireBuild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: FIXTURES,
      env: childEnv(messaging),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((done) => child.on('close', () => done()));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${PROCESS_TIMEOUT_MS} ms\n${output}`));
    }, PROCESS_TIMEOUT_MS);
    const look = (d: Buffer): void => {
      output += d.toString();
      const m = /SMS gateway listening on (http:\/\/[\d.]+:(\d+))/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        if (m[2] === '0') reject(new Error('the server printed port 0 instead of its port'));
        else resolve({ baseUrl: m[1], output: () => output, stop });
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening:\n${output}`));
    });
  });
}

function expectOneLineFailure(run: Exit, line: string): void {
  expect(run.signal).toBeNull();
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  expect(run.stderr).toBe(`${line}\n`);
  for (const stream of [run.stderr, run.stdout]) {
    expect(stream).not.toMatch(/^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m);
    expect(stream).not.toMatch(/^[A-Z]\w*Error\b/m);
    for (const secret of SECRETS) expect(stream).not.toContain(secret);
  }
}

const withGood = (bad: Record<string, unknown>): string => JSON.stringify({ good: GOOD, ...bad });
const prefix = 'configuration error: JAMBONES_MESSAGING:';

describe('start-up with a bad JAMBONES_MESSAGING', () => {
  it.each([
    [
      'not JSON',
      `{"good":{"module":"peerless","options":{"auth":{"password":"pw-secret-1"}}}`,
      `${prefix} is not valid JSON`,
    ],
    [
      'a JSON array',
      JSON.stringify([GOOD]),
      `${prefix} must be a JSON object with one key per provider`,
    ],
    [
      'a JSON string',
      JSON.stringify('peerless pw-secret-1'),
      `${prefix} must be a JSON object with one key per provider`,
    ],
    [
      'an empty provider name',
      withGood({ '': { module: 'simwood' } }),
      `${prefix} a provider has an empty name`,
    ],
    [
      'a provider name of digits only',
      withGood({ '7': { module: 'simwood' } }),
      `${prefix} provider "7": the name must not be only digits`,
    ],
    [
      'a provider without module',
      withGood({ acme: { options: { url: 'https://acme.example/' } } }),
      `${prefix} provider "acme": "module" is missing`,
    ],
    [
      'a module that is not a string',
      withGood({ acme: { module: { name: 'peerless' } } }),
      `${prefix} provider "acme": "module" must be a non-empty string`,
    ],
    [
      'a package name that is not installed',
      withGood({ acme: { module: '@acme/messaging-acme' } }),
      `${prefix} provider "acme": module "@acme/messaging-acme" could not be found`,
    ],
    [
      'an absolute path where there is no module',
      withGood({ acme: { module: join(FIXTURES, 'no-such-plugin.js') } }),
      `${prefix} provider "acme": module "${join(FIXTURES, 'no-such-plugin.js')}" could not be found`,
    ],
    [
      'a relative path where there is no module',
      withGood({ acme: { module: './no-such-plugin.js' } }),
      `${prefix} provider "acme": module "./no-such-plugin.js" could not be found`,
    ],
    [
      'a module without fromProviderFormat (relative path)',
      withGood({ acme: { module: './no-from-provider-format.js' } }),
      `${prefix} provider "acme": module "./no-from-provider-format.js" does not export a fromProviderFormat function`,
    ],
    [
      'a module without sendSms (absolute path)',
      withGood({ acme: { module: join(FIXTURES, 'no-send-sms.js') } }),
      `${prefix} provider "acme": module "${join(FIXTURES, 'no-send-sms.js')}" does not export a sendSms function`,
    ],
    [
      'a module whose formatProviderResponse is not a function',
      withGood({ acme: { module: './bad-format-provider-response.js' } }),
      `${prefix} provider "acme": module "./bad-format-provider-response.js" exports a formatProviderResponse that is not a function`,
    ],
    [
      'a module that throws while loading',
      withGood({ acme: { module: './throws-on-load.js' } }),
      `${prefix} provider "acme": module "./throws-on-load.js" failed to load: this plug-in cannot start`,
    ],
    [
      'options that are not an object',
      withGood({ acme: { module: 'simwood', options: 'url=https://u:pw-secret-1@h.example/' } }),
      `${prefix} provider "acme": "options" must be an object`,
    ],
    [
      'options that are an array',
      withGood({ acme: { module: 'simwood', options: [{ password: 'pw-secret-1' }] } }),
      `${prefix} provider "acme": "options" must be an object`,
    ],
  ])(
    'stops on %s with one line naming the variable, the provider and the problem',
    async (_what, messaging, line) => {
      expectOneLineFailure(await runToExit(messaging), line);
    },
    PROCESS_TIMEOUT_MS + 5000,
  );
});

describe('start-up with every kind of plug-in', () => {
  const providers = {
    peerless: GOOD,
    '382com': {
      module: '382com',
      options: {
        url: 'https://secure1.382com.example/sendsms.cgi',
        auth: { username: 'c382', password: 'pw-secret-1' },
      },
    },
    simwood: {
      module: 'simwood',
      options: {
        url: 'https://api.simwood.example/v3/messaging/930001/sms',
        auth: { username: 'sw', password: 'pw-secret-1' },
      },
    },
    'peerless-npm-name': { module: '@jambonz/messaging-peerless', options: GOOD.options },
    '382com-npm-name': { module: '@jambonz/messaging-382com', options: {} },
    'simwood-npm-name': { module: '@jambonz/messaging-simwood', options: {} },
    'peerless-original': {
      module: join(ORIGINALS, 'messaging-peerless'),
      options: {
        url: 'https://peerless.example/submit',
        auth: { username: 'o', password: 'pw-secret-1' },
      },
    },
    '382com-original': { module: join(ORIGINALS, 'messaging-382com'), options: {} },
    'simwood-original': { module: join(ORIGINALS, 'messaging-simwood', 'index.js'), options: {} },
    acme: {
      module: './seed-contract.js',
      options: { url: 'https://acme.example/send?api_key=query-secret-1', apiKey: 'tok-secret-1' },
    },
  };
  let server: Running;
  beforeAll(async () => {
    server = await startServer(JSON.stringify(providers));
  }, PROCESS_TIMEOUT_MS + 5000);
  afterAll(() => server?.stop());

  it('lists them all in order, the first as default, with no secret in the answer', async () => {
    const res = await fetch(`${server.baseUrl}/v1/MessagingProviders`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    const raw = await res.text();
    for (const secret of SECRETS) expect(raw).not.toContain(secret);
    const listed = JSON.parse(raw) as Array<{
      name: string;
      module: string;
      default: boolean;
      capabilities: Record<string, boolean>;
      options: Record<string, unknown>;
    }>;
    expect(listed.map((p) => [p.name, p.module, p.default])).toEqual(
      Object.entries(providers).map(([name, p], i) => [name, p.module, i === 0]),
    );
    const byName = new Map(listed.map((p) => [p.name, p]));
    expect(byName.get('peerless')!.options).toEqual({
      url: 'https://[REDACTED]@peerless.example/submit?api_key=[REDACTED]',
      auth: { username: 'pl-user', password: '[REDACTED]' },
      token: '[REDACTED]',
    });
    expect(byName.get('acme')).toMatchObject({
      capabilities: { receive: true, send: true, customInboundResponse: true },
      options: { url: 'https://acme.example/send?api_key=[REDACTED]', apiKey: '[REDACTED]' },
    });
    expect(byName.get('peerless-original')!.capabilities.customInboundResponse).toBe(true);
    expect(byName.get('382com-original')!.capabilities.customInboundResponse).toBe(false);
    expect(byName.get('simwood-npm-name')!.capabilities).toEqual({
      receive: true,
      send: true,
      customInboundResponse: false,
    });
  });

  it('printed no secret while starting', () => {
    for (const secret of SECRETS) expect(server.output()).not.toContain(secret);
  });
});
