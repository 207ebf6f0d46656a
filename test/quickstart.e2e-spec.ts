/*
 * `npm start` (scripts/quickstart.js) as a newcomer runs it, in an empty working directory: the
 * sandbox provider, a generated admin key, the demo tenant printed once, and the README's
 * walkthrough with examples/echo-app answering an inbound SMS.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './utils/free-port';
import { type NodeProcess, spawnNode } from './utils/gateway-process';
import { api, eventually } from './utils/api';
import { createTestDatabase, type TestDatabase } from './utils/test-database';

const ROOT = join(__dirname, '..');

function run(file: string, cwd: string, env: Record<string, string>): NodeProcess {
  return spawnNode(file, { HOME: process.env.HOME ?? '', ...env }, cwd);
}

/** Starts the quickstart and waits for its banner to end. */
async function quickstart(
  cwd: string,
  env: Record<string, string>,
): Promise<NodeProcess & { baseUrl: string }> {
  const r = run(join(ROOT, 'scripts', 'quickstart.js'), cwd, env);
  await eventually(() => {
    if (r.child.exitCode !== null) throw new Error(`the quickstart exited:\n${r.output()}`);
    return /API documentation: .*\n=+\n/.test(r.output()) ? true : undefined;
  }, 60000);
  const baseUrl = /API documentation: (http:\/\/[\d.]+:\d+)\/docs/.exec(r.output())![1]!;
  return { ...r, baseUrl };
}

const field = (text: string, name: string): string | undefined =>
  new RegExp(`^  ${name} +(\\S+)`, 'm').exec(text)?.[1];

describe('npm start (the quickstart)', () => {
  let dir: string;
  let db: TestDatabase;
  const running: NodeProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-quickstart-'));
    db = await createTestDatabase(join(dir, 'data', 'messaging.sqlite'));
  });

  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with a demo, and the walkthrough gets an inbound SMS answered by the echo app', async () => {
    const port = await freePort();
    // Nothing set but where to listen (and, on the PostgreSQL pass, the database).
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(db.engine === 'postgres' ? { DATABASE_URL: db.url } : {}),
    };
    const first = await quickstart(dir, env);
    running.push(first);
    const out = first.output();
    expect(out).toContain('Provider: the built-in sandbox');
    const adminKey = /Admin API key \(generated.*\n {2}(\S+)/.exec(out)?.[1];
    expect(adminKey).toBeDefined();
    expect(statSync(join(dir, 'data', 'admin-api-key')).mode & 0o777).toBe(0o600);
    const accountSid = field(out, 'account')!;
    const token = field(out, 'API key')!;
    const applicationSid = field(out, 'application')!;
    expect(field(out, 'number')).toBe('15085550100');
    expect(out).toContain('messaging webhook: http://127.0.0.1:3100/sms');

    // The admin key and the demo key both work.
    expect((await api(first.baseUrl, 'GET', '/v1/Accounts', undefined, adminKey)).status).toBe(200);
    expect(
      (await api(first.baseUrl, 'GET', `/v1/Accounts/${accountSid}`, undefined, token)).status,
    ).toBe(200);

    // The echo app, on a port of its own here (the demo points at 3100, which may be taken).
    const echoPort = await freePort();
    // It checks the gateway's signatures with the account's webhook secret.
    const secret = await api(
      first.baseUrl,
      'GET',
      `/v1/Accounts/${accountSid}/WebhookSecret`,
      undefined,
      token,
    );
    const echo = run(join(ROOT, 'examples', 'echo-app', 'server.js'), dir, {
      ECHO_APP_PORT: String(echoPort),
      WEBHOOK_SECRET: secret.body.webhook_secret,
    });
    running.push(echo);
    await eventually(() => (/echo app listening/.test(echo.output()) ? true : undefined));
    const moved = await api(
      first.baseUrl,
      'PUT',
      `/v1/Applications/${applicationSid}`,
      { messaging_hook: { url: `http://127.0.0.1:${echoPort}/sms` } },
      token,
    );
    expect(moved.status).toBe(200);

    // The banner's commands, as the README gives them.
    const sent = await api(
      first.baseUrl,
      'POST',
      `/v1/Accounts/${accountSid}/Messages`,
      { from: '15085550100', to: '15085550199', text: 'Hello from the gateway' },
      token,
    );
    expect(sent.status).toBe(201);
    expect(sent.body.providerResponse.status).toBe('accepted');
    const inbound = await api(
      first.baseUrl,
      'POST',
      '/v1/messaging/sandbox',
      { from: '15085550199', to: '15085550100', text: 'Hi there' },
      null,
    );
    expect(inbound.status).toBe(200);

    const messages = await eventually(async () => {
      const log = await api(
        first.baseUrl,
        'GET',
        `/v1/Accounts/${accountSid}/Messages`,
        undefined,
        token,
      );
      const reply = (log.body.data as any[]).find((m) => m.text === 'You said: Hi there');
      return reply?.status === 'sent' ? (log.body.data as any[]) : undefined;
    }, 20000);
    const received = messages.find((m) => m.direction === 'inbound')!;
    const reply = messages.find((m) => m.text === 'You said: Hi there')!;
    expect(received).toMatchObject({
      from: '15085550199',
      to: ['15085550100'],
      status: 'delivered-to-app',
    });
    expect(reply).toMatchObject({
      direction: 'outbound',
      from: '15085550100',
      to: ['15085550199'],
      parent_message_sid: received.sid,
    });
    await eventually(() =>
      /reply .*: success via sandbox/.test(echo.output()) ? true : undefined,
    );
    expect(echo.output()).toContain(
      `SMS ${received.sid} from 15085550199 to 15085550100: "Hi there"`,
    );
    // Both calls carried a valid signature.
    expect(echo.output()).not.toContain('refused');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // The next start finds the demo, and prints neither its key nor the admin key.
    const second = await quickstart(dir, env);
    running.push(second);
    const again = second.output();
    expect(again).toContain('still here');
    expect(field(again, 'account')).toBe(accountSid);
    expect(again).not.toContain(token);
    expect(again).not.toContain(adminKey);
    expect(again).toContain('Admin API key: the one in data/admin-api-key');
    expect(
      (await api(second.baseUrl, 'GET', `/v1/Accounts/${accountSid}`, undefined, token)).status,
    ).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    echo.child.kill('SIGTERM');
    expect(await echo.exited).toBe(0);
  }, 120000);
});
