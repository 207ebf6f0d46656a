/*
 * Graceful shutdown of the built server (`node dist/main.js`): on SIGTERM it stops taking
 * connections, answers the requests under way, leaves undelivered webhooks stored for the next
 * start, and exits 0.
 */
import { get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, createTenant, eventually } from './utils/api';
import { ADMIN_KEY } from './utils/create-app';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { HttpStub, json } from './utils/http-stub';
import { createTestDatabase, type TestDatabase } from './utils/test-database';

/** Whether a request on a connection of its own gets through (not refused or reset). */
function reachable(baseUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${baseUrl}/health/live`, { agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
  });
}

describe('graceful shutdown', () => {
  const provider = new HttpStub();
  const application = new HttpStub();
  let dir: string;
  let db: TestDatabase;
  let env: Record<string, string>;
  const running: GatewayProcess[] = [];

  beforeAll(async () => {
    await provider.start();
    await application.start();
    dir = mkdtempSync(join(tmpdir(), 'gw-shutdown-'));
    db = await createTestDatabase(join(dir, 'gateway.sqlite'));
    env = {
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN_KEY,
      PROVIDER_TIMEOUT_MS: '20000',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_POLL_MS: '100',
      JAMBONES_MESSAGING: JSON.stringify({
        slow: { module: 'simwood', options: { url: `${provider.url}/sms` } },
        sandbox: { module: 'sandbox' },
      }),
    };
  });

  afterAll(async () => {
    for (const gw of running) if (gw.child.exitCode === null) gw.child.kill('SIGKILL');
    await provider.stop();
    await application.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the request under way, refuses new connections, keeps pending deliveries, exits 0', async () => {
    const gw = await startGateway(env);
    running.push(gw);
    const account = await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'shutdown' });
    expect(account.status).toBe(201);
    // The application is down: the inbound message's webhook stays pending.
    application.handler = (_req, res) => json(res, 503, { msg: 'down for maintenance' });
    await createTenant(gw.baseUrl, { hookUrl: `${application.url}/sms`, numbers: ['15085550300'] });
    const inbound = await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/sandbox',
      { from: '15085550999', to: '15085550300', text: 'kept' },
      null,
    );
    expect(inbound.status).toBe(200);
    await application.waitFor(1);

    // The provider holds the send until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    provider.handler = async (_req, res) => {
      await released;
      json(res, 200, { id: 'slow-1' });
    };
    const inFlight = api(gw.baseUrl, 'POST', `/v1/Accounts/${account.body.sid}/Messages`, {
      from: '+15085550100',
      to: '+15085550111',
      text: 'sent during shutdown',
      provider: 'slow',
    });
    await provider.waitFor(1);

    gw.child.kill('SIGTERM');
    await eventually(async () => ((await reachable(gw.baseUrl)) ? undefined : true));
    expect(gw.child.exitCode).toBeNull();

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(answer.body.providerResponse).toEqual({ id: 'slow-1' });
    // Its connection ends with it, so the shutdown does not wait for the client to drop it.
    expect(answer.headers.get('connection')).toBe('close');
    expect(await gw.exited).toBe(0);

    const lines = gw
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
    const at = (pred: (l: Record<string, any>) => boolean) => lines.findIndex(pred);
    const stopping = at((l) => l.context === 'Shutdown' && l.signal === 'SIGTERM');
    const answered = at((l) => l.res?.statusCode === 201 && /\/Messages$/.test(l.req?.url ?? ''));
    const stopped = at((l) => l.context === 'Shutdown' && l.msg === 'stopped');
    expect(stopping).toBeGreaterThanOrEqual(0);
    expect(answered).toBeGreaterThan(stopping);
    expect(stopped).toBeGreaterThan(answered);

    // The next start finds the message sent, and delivers the webhook the application missed.
    application.handler = (_req, res) => json(res, 200, []);
    const seen = application.requests.length;
    const next = await startGateway(env);
    running.push(next);
    const message = await api(
      next.baseUrl,
      'GET',
      `/v1/Accounts/${account.body.sid}/Messages/${answer.body.sid}`,
    );
    expect(message.status).toBe(200);
    expect(message.body.status).toBe('sent');
    await application.waitFor(seen + 1);
    expect(application.requests.at(-1)!.json).toMatchObject({
      messageSid: inbound.body.messageSid ?? expect.any(String),
      text: 'kept',
    });
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 60000);
});
