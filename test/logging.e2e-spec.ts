/*
 * The logs of the built server (`node dist/main.js`) as an operator collects them: JSON lines,
 * one per request, request ids, message sids, no secrets, LOG_LEVEL, and what happens to errors
 * nothing caught.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { HttpStub } from './utils/http-stub';
import { createTestDatabase, type TestDatabase } from './utils/test-database';

const ADMIN = 'logging-admin-key-7f3e9a1c';
const WEBHOOK_SECRET = 'whsec-logging-5b2d8e';
const HOOK_PASSWORD = 'hook-pass-9c4a1f';

/** A plug-in that leaves errors behind where nothing catches them, chosen by the text sent. */
const FAULTY_PLUGIN = `
exports.fromProviderFormat = (opts, url, payload) => ({ from: payload.from, to: [payload.to], text: payload.text });
exports.sendSms = (opts, msg) => {
  if (msg.text === 'reject') Promise.reject(new Error('a promise nobody awaited'));
  if (msg.text === 'io') setImmediate(() => { throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }); });
  if (msg.text === 'crash') setImmediate(() => { throw new TypeError('plug-in state is broken'); });
  if (msg.text === 'refuse') throw new Error('the provider refused it');
  return { id: 'faulty-1' };
};
`;

type Line = Record<string, any>;

function parseLines(output: string): Line[] {
  return output
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`a log line is not JSON: ${l}`);
      }
    });
}

async function until(check: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('logs of the running gateway', () => {
  let dir: string;
  let db: TestDatabase;
  let app: HttpStub;
  let gw: GatewayProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-logging-'));
    writeFileSync(join(dir, 'faulty-plugin.js'), FAULTY_PLUGIN);
    db = await createTestDatabase();
    app = new HttpStub();
    await app.start();
    gw = await startGateway({
      ADMIN_API_KEY: ADMIN,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      JAMBONES_MESSAGING: JSON.stringify({
        sandbox: { module: 'sandbox' },
        faulty: { module: join(dir, 'faulty-plugin.js') },
      }),
    });
  });

  afterAll(async () => {
    if (gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGKILL');
    await app.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes JSON only, one line per request, with ids, message sids and no secrets', async () => {
    let requests = 0;
    const call = async (...args: Parameters<typeof api>) => {
      requests += 1;
      return api(...args);
    };
    const account = await call(
      gw.baseUrl,
      'POST',
      '/v1/Accounts',
      { name: 'acme', webhook_secret: WEBHOOK_SECRET },
      ADMIN,
    );
    expect(account.status).toBe(201);
    const accountSid = account.body.sid as string;
    const key = await call(gw.baseUrl, 'POST', '/v1/ApiKeys', { account_sid: accountSid }, ADMIN);
    expect(key.status).toBe(201);
    const token = key.body.token as string;
    const application = await call(
      gw.baseUrl,
      'POST',
      '/v1/Applications',
      {
        name: 'app',
        account_sid: accountSid,
        messaging_hook: { url: `${app.url}/sms`, username: 'hook-user', password: HOOK_PASSWORD },
      },
      token,
    );
    expect(application.status).toBe(201);
    const number = await call(
      gw.baseUrl,
      'POST',
      '/v1/PhoneNumbers',
      { number: '+15085550100', account_sid: accountSid, application_sid: application.body.sid },
      token,
    );
    expect(number.status).toBe(201);
    const secret = await call(
      gw.baseUrl,
      'GET',
      `/v1/Accounts/${accountSid}/WebhookSecret`,
      undefined,
      token,
    );
    expect(secret.body.webhook_secret).toBe(WEBHOOK_SECRET);

    const sent = await call(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${accountSid}/Messages`,
      { from: '+15085550100', to: '+15085550111', text: 'hello' },
      token,
      { 'x-request-id': 'e2e-send-1' },
    );
    expect(sent.status).toBe(201);
    expect(sent.headers.get('x-request-id')).toBe('e2e-send-1');
    const sentSid = sent.body.sid as string;

    const refusedSend = await call(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${accountSid}/Messages`,
      { from: '+15085550100', to: '+15085550111', text: 'refuse', provider: 'faulty' },
      token,
      { 'x-request-id': 'e2e-send-2' },
    );
    expect(refusedSend.status).toBe(502);
    const failedSid = refusedSend.body.sid as string;

    const inbound = await call(
      gw.baseUrl,
      'POST',
      '/v1/messaging/sandbox',
      { from: '+15085550111', to: '+15085550100', text: 'hi there' },
      null,
    );
    expect(inbound.status).toBe(200);
    const generatedId = inbound.headers.get('x-request-id');
    const unowned = await call(
      gw.baseUrl,
      'POST',
      '/v1/messaging/sandbox',
      { from: '+15085550111', to: '+15085550199', text: 'nobody owns this' },
      null,
      { 'x-request-id': 'e2e-inbound-refused' },
    );
    expect(unowned.status).toBe(404);
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
    await app.waitFor(1);
    expect(app.requests[0]!.headers['jambonz-signature']).toBeDefined();
    const refused = await call(
      gw.baseUrl,
      'GET',
      '/v1/MessagingProviders',
      undefined,
      'wrong-token-3d9f',
    );
    expect(refused.status).toBe(401);

    let lines: Line[] = [];
    await until(() => {
      lines = parseLines(gw.output());
      return lines.filter((l) => l.res !== undefined).length >= requests;
    }, 'a line per request');
    await new Promise((r) => setTimeout(r, 200));
    lines = parseLines(gw.output());

    const requestLines = lines.filter((l) => l.res !== undefined && l.req !== undefined);
    expect(requestLines).toHaveLength(requests);
    expect(
      requestLines.every((l) => typeof l.reqId === 'string' && typeof l.responseTime === 'number'),
    ).toBe(true);
    expect(new Set(requestLines.map((l) => l.reqId)).size).toBe(requests);

    // The request line names the message the request stored.
    expect(requestLines.find((l) => l.reqId === 'e2e-send-1')?.messageSid).toBe(sentSid);
    const inboundLine = requestLines.find((l) => l.reqId === generatedId);
    expect(inboundLine?.messageSid).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    // A send that failed: a warning, tied to its request and its message.
    const failed = lines.find((l) => l.reqId === 'e2e-send-2' && l.context === 'Messaging');
    expect(failed).toMatchObject({ level: 'warn', messageSid: failedSid });
    expect(failed?.msg).toMatch(/send failed: faulty: .*the provider refused it/);
    // A refusal logged by the service that refused: tied to its request.
    const refusal = lines.find((l) => l.reqId === 'e2e-inbound-refused' && l.res === undefined);
    expect(refusal?.msg).toMatch(/^inbound post for sandbox refused: no application owns/);
    // Successes are details: at info, no line per sent or delivered message.
    expect(lines.filter((l) => l.level === 'info' && l.messageSid && !l.res)).toEqual([]);
    expect(requestLines.find((l) => l.res.statusCode === 401)?.level).toBe('warn');

    const everything = gw.output();
    for (const s of [ADMIN, token, WEBHOOK_SECRET, HOOK_PASSWORD])
      expect(everything).not.toContain(s);
    // Headers (credentials redacted) are on request lines only at debug.
    expect(requestLines.every((l) => l.req.headers === undefined)).toBe(true);
  });

  it('logs an unawaited rejection and an isolated I/O error and keeps serving', async () => {
    const account = await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'faults' }, ADMIN);
    for (const text of ['reject', 'io']) {
      const sent = await api(
        gw.baseUrl,
        'POST',
        `/v1/Accounts/${account.body.sid}/Messages`,
        { from: '+15085550200', to: '+15085550211', text, provider: 'faulty' },
        ADMIN,
      );
      expect(sent.status).toBe(201);
    }
    await until(() => /uncaught exception/.test(gw.output()), 'the I/O error line');
    await until(() => /unhandled promise rejection/.test(gw.output()), 'the rejection line');
    const lines = parseLines(gw.output());
    expect(lines.find((l) => /unhandled promise rejection/.test(l.msg))).toMatchObject({
      level: 'error',
      err: { message: 'a promise nobody awaited' },
    });
    expect(lines.find((l) => /uncaught exception/.test(l.msg))).toMatchObject({
      level: 'error',
      err: { code: 'ECONNRESET' },
    });
    expect((await api(gw.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
    expect(gw.child.exitCode).toBeNull();
  });

  it('logs any other uncaught exception too, and keeps serving', async () => {
    const account = await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'crash' }, ADMIN);
    await api(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${account.body.sid}/Messages`,
      { from: '+15085550300', to: '+15085550311', text: 'crash', provider: 'faulty' },
      ADMIN,
    ).catch(() => undefined);
    await until(() => /plug-in state is broken/.test(gw.output()), 'the exception line');
    const logged = parseLines(gw.output()).find(
      (l) => l.err?.message === 'plug-in state is broken',
    );
    expect(logged).toMatchObject({ level: 'error', err: { type: 'TypeError' } });
    expect((await api(gw.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
    expect(gw.child.exitCode).toBeNull();
  });
});

describe('LOG_LEVEL', () => {
  it('leaves out what is below the level, but still says where the gateway listens', async () => {
    const db = await createTestDatabase();
    const gw = await startGateway({
      ADMIN_API_KEY: ADMIN,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
    });
    try {
      expect((await api(gw.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
      expect((await api(gw.baseUrl, 'GET', '/v1/Accounts', undefined, 'not-a-key')).status).toBe(
        401,
      );
      gw.child.kill('SIGTERM');
      expect(await gw.exited).toBe(0);
      const lines = parseLines(gw.output());
      expect(
        lines.filter((l) => l.res !== undefined).map((l) => [l.level, l.res.statusCode]),
      ).toEqual([['warn', 401]]);
      expect(lines.filter((l) => l.level === 'info').map((l) => l.context)).toEqual(['Main']);
    } finally {
      if (gw.child.exitCode === null) gw.child.kill('SIGKILL');
      await db.drop();
    }
  });
});
