import { createServer, type Server } from 'node:net';
import { ADMIN_KEY } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { HttpStub, json } from './utils/http-stub';

/**
 * A provider that misbehaves, against the built gateway in its own process: down, slower than
 * PROVIDER_TIMEOUT_MS, hanging, answering 5xx, answering garbage, cutting the connection. Each
 * send is answered 502 {sid, msg} within the timeout (a hang here fails the request's own
 * deadline), the message is stored as failed with the reason, and the process stays healthy.
 */

const PROVIDER_TIMEOUT_MS = 1000;
/** Far beyond the provider timeout: an answer later than this is a hang. */
const ANSWER_DEADLINE_MS = PROVIDER_TIMEOUT_MS * 5;

/** A TCP port where nothing listens: a server is opened there and closed again. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('faults: the provider misbehaves', () => {
  const provider = new HttpStub();
  const application = new HttpStub();
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let tenant: Tenant;
  const hanging: Array<() => void> = [];

  beforeAll(async () => {
    await Promise.all([provider.start(), application.start()]);
    provider.handler = (req, res) => {
      switch (req.path) {
        case '/ok':
          return json(res, 200, { id: 'ok-1' });
        case '/slow':
          setTimeout(() => json(res, 200, { id: 'too-late' }), PROVIDER_TIMEOUT_MS * 2.5);
          return;
        case '/hang':
          hanging.push(() => res.destroy());
          return;
        case '/5xx':
          return json(res, 503, { error: 'service unavailable' });
        case '/html':
          res.writeHead(200, { 'content-type': 'text/html' });
          return void res.end('<html><body>Welcome to nginx!</body></html>');
        case '/empty':
          res.writeHead(200);
          return void res.end();
        case '/binary':
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          return void res.end(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0xc3, 0x28]));
        case '/cut':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"id":');
          setTimeout(() => res.destroy(), 20);
          return;
        default:
          return json(res, 404, {});
      }
    };
    application.handler = (req, res) => {
      if (req.path === '/sms') {
        json(res, 200, [
          {
            verb: 'message',
            from: '15085710838',
            to: '15083084809',
            text: 'reply',
            provider: 'down',
            actionHook: '/action',
          },
        ]);
      } else json(res, 200, {});
    };
    const down = `http://127.0.0.1:${await closedPort()}/send`;
    const at = (path: string) => ({
      url: `${provider.url}${path}`,
      auth: { username: 'u', password: 'p' },
    });
    db = await createTestDatabase();
    gateway = await startGateway({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN_KEY,
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      WEBHOOK_POLL_MS: '100',
      JAMBONES_MESSAGING: JSON.stringify({
        ok: { module: 'peerless', options: at('/ok') },
        down: { module: 'peerless', options: { url: down } },
        slow: { module: 'peerless', options: at('/slow') },
        hang: { module: 'simwood', options: at('/hang') },
        '5xx': { module: 'simwood', options: at('/5xx') },
        html: { module: 'peerless', options: at('/html') },
        empty: { module: 'simwood', options: at('/empty') },
        binary: { module: '382com', options: at('/binary') },
        cut: { module: 'peerless', options: at('/cut') },
        // The published plug-in, loaded by path: it swallows errors and resolves to nothing.
        original: {
          module: require.resolve('@jambonz/messaging-peerless'),
          options: { url: down },
        },
      }),
    });
    tenant = await createTenant(gateway.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: ['15085710838'],
    });
  }, 30000);

  afterAll(async () => {
    for (const end of hanging) end();
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    await db.drop();
    await Promise.all([provider.stop(), application.stop()]);
  });

  afterEach(async () => {
    expect(gateway.child.exitCode).toBeNull();
    expect((await api(gateway.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
  });

  async function send(providerName: string) {
    const res = await fetch(`${gateway.baseUrl}/v1/Accounts/${tenant.accountSid}/Messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` },
      body: JSON.stringify({
        from: '15085710838',
        to: '15083084809',
        text: 'hello',
        provider: providerName,
      }),
      signal: AbortSignal.timeout(ANSWER_DEADLINE_MS),
    });
    return { status: res.status, body: (await res.json()) as { sid?: string; msg?: string } };
  }

  const message = async (sid: string) =>
    (await api(gateway.baseUrl, 'GET', `/v1/Accounts/${tenant.accountSid}/Messages/${sid}`)).body;

  it.each([
    ['down (connection refused)', 'down', /could not be reached \(ECONNREFUSED\)/],
    ['slower than PROVIDER_TIMEOUT_MS', 'slow', /did not answer in time|timed out/],
    ['hanging', 'hang', /did not answer in time|timed out/],
    ['answering 5xx', '5xx', /HTTP 503/],
    ['answering HTML to a JSON API', 'html', /not JSON/],
    ['answering 200 with an empty body', 'empty', /not JSON/],
    ['answering bytes that are not text to a text API', 'binary', /not text/],
    ['cutting the connection mid-answer', 'cut', /could not be reached|did not answer/],
    ['a published plug-in that swallows its error', 'original', /returned no response/],
  ])('%s: 502 {sid, msg}, stored as failed with the reason', async (_what, name, reason) => {
    const res = await send(name);
    expect(res.status).toBe(502);
    expect(res.body.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.msg).toMatch(reason);
    const stored = await message(res.body.sid!);
    expect(stored.status).toBe('failed');
    expect(stored.provider).toBe(name);
    expect(stored.failure_reason).toMatch(reason);
    expect(stored.history.map((h: { status: string }) => h.status)).toEqual(['queued', 'failed']);
  });

  it('twenty sends to a hanging provider at once all end in 502, and a send through a healthy provider meanwhile succeeds', async () => {
    const stuck = Array.from({ length: 20 }, () => send('hang'));
    const healthy = await send('ok');
    expect(healthy.status).toBe(201);
    const results = await Promise.all(stuck);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(502));
    const sids = new Set(results.map((r) => r.body.sid));
    expect(sids.size).toBe(20);
  });

  it('a message verb sent through a provider that is down tells its actionHook "failure" with the reason', async () => {
    const seen = application.requests.length;
    const res = await api(
      gateway.baseUrl,
      'POST',
      '/v1/messaging/down',
      { from: '+15083084809', recipients: ['+15085710838'], text: 'hi' },
      null,
    );
    expect(res.status).toBe(200);
    const action = await eventually(() =>
      application.requests.slice(seen).find((r) => r.path === '/action'),
    );
    expect(action.json).toEqual(
      expect.objectContaining({
        message_status: 'failure',
        carrier: 'down',
        message_failure_reason: expect.stringMatching(/ECONNREFUSED/),
      }),
    );
    const reply = await message((action.json as { message_sid: string }).message_sid);
    expect(reply.status).toBe('failed');
  });
});
