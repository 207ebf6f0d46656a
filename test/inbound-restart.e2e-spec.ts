import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY } from './utils/create-app';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { api, createTenant, eventually, sleep } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { HttpStub, json } from './utils/http-stub';

/**
 * Deliveries are stored before the provider is answered, so they survive the gateway: a graceful
 * restart, and a kill -9 in the middle of a delivery.
 */
describe('pending deliveries survive the gateway', () => {
  let dir: string;
  let db: TestDatabase;
  const application = new HttpStub();
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-restart-'));
    await application.start();
  });
  beforeEach(async () => {
    db = await createTestDatabase(join(dir, `${Date.now()}.sqlite`));
    application.requests.length = 0;
  });
  afterEach(async () => {
    gateway?.child.kill('SIGKILL');
    await gateway?.exited;
    gateway = undefined;
    await db.drop();
  });
  afterAll(async () => {
    await application.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (): Record<string, string> => ({
    DATABASE_URL: db.url,
    ADMIN_API_KEY: ADMIN_KEY,
    JAMBONES_MESSAGING: JSON.stringify({ simwood: { module: 'simwood', options: { url: 'http://127.0.0.1:9/unused' } } }),
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RETRY_MAX_MS: '200',
    WEBHOOK_POLL_MS: '100',
  });

  const inbound = (baseUrl: string, text: string): Promise<{ status: number }> =>
    api(baseUrl, 'POST', '/v1/messaging/simwood', {
      app: 'sms_inbound',
      data: { destination: '15085710838', message: text, originator: '15083084809' },
    }, null);

  it('a delivery pending at a graceful stop is made after the next start', async () => {
    gateway = await startGateway(env());
    await createTenant(gateway.baseUrl, { hookUrl: `${application.url}/sms`, numbers: ['15085710838'] });
    application.handler = (_req, res) => json(res, 503, {});
    expect((await inbound(gateway.baseUrl, 'across a restart')).status).toBe(200);
    await application.waitFor(1);
    gateway.child.kill('SIGTERM');
    expect([0, 'SIGTERM']).toContain(await gateway.exited);
    const seenWhileDown = application.requests.length;

    application.handler = (_req, res) => json(res, 200, {});
    gateway = await startGateway(env());
    await application.waitFor(seenWhileDown + 1);
    const delivered = application.requests.at(-1)!.json as { text: string };
    expect(delivered.text).toBe('across a restart');
    await sleep(500);
    expect(application.requests).toHaveLength(seenWhileDown + 1);
  });

  it('after kill -9 in the middle of a delivery, the message is delivered by the restarted gateway', async () => {
    gateway = await startGateway(env());
    await createTenant(gateway.baseUrl, { hookUrl: `${application.url}/sms`, numbers: ['15085710838'] });
    // The application hangs, so the gateway dies with the attempt under way.
    application.handler = () => undefined;
    expect((await inbound(gateway.baseUrl, 'killed mid-flight')).status).toBe(200);
    await application.waitFor(1);
    gateway.child.kill('SIGKILL');
    await gateway.exited;

    application.handler = (_req, res) => json(res, 200, {});
    gateway = await startGateway(env());
    // The dead process's lease (timeout + 5 s) must run out before another process takes it over.
    await application.waitFor(2, 15000);
    const sids = application.requests.map((r) => (r.json as { messageSid: string }).messageSid);
    expect(new Set(sids).size).toBe(1);
    const status = await eventually(async () => {
      const res = await api(gateway!.baseUrl, 'GET', '/health', undefined, null);
      return res.status === 200 ? res.status : undefined;
    });
    expect(status).toBe(200);
  }, 40000);
});
