import { createServer, type Server } from 'node:net';
import { ADMIN_KEY } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { HttpStub, json } from './utils/http-stub';

/**
 * An application that misbehaves, against the built gateway in its own process: down, slower than
 * WEBHOOK_TIMEOUT_MS, hanging, answering 5xx, 408/429, other 4xx, or 2xx with garbage. Network
 * errors, timeouts, 5xx, 408 and 429 are retried up to WEBHOOK_MAX_ATTEMPTS, every attempt
 * recorded; another 4xx is final after one attempt; a 2xx is a delivery, and only a JSON array in
 * it is read as verbs. The gateway answers the provider 200 at once in every case and stays up.
 */

const WEBHOOK_TIMEOUT_MS = 500;
const MAX_ATTEMPTS = 3;

async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Attempt {
  kind: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
}

describe('faults: the application misbehaves', () => {
  const application = new HttpStub();
  const provider = new HttpStub();
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let tenant: Tenant;
  const hanging: Array<() => void> = [];
  let flakyCalls = 0;

  /** Path of the messaging hook -> how the application answers there. */
  const behaviours: Record<string, (res: import('node:http').ServerResponse) => void> = {
    '/slow': (res) => void setTimeout(() => json(res, 200, {}), WEBHOOK_TIMEOUT_MS * 3),
    '/hang': (res) => void hanging.push(() => res.destroy()),
    '/500': (res) => json(res, 500, { error: 'boom' }),
    '/503': (res) => json(res, 503, {}),
    '/408': (res) => json(res, 408, {}),
    '/429': (res) => json(res, 429, {}),
    '/400': (res) => json(res, 400, { error: 'bad' }),
    '/404': (res) => json(res, 404, {}),
    '/401': (res) => json(res, 401, {}),
    '/302': (res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      res.end();
    },
    '/text': (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK, thanks!');
    },
    '/html-as-json': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>not json</html>');
    },
    '/object': (res) =>
      json(res, 200, {
        verb: 'message',
        from: '15085710838',
        to: '15083084809',
        text: 'not in a list',
      }),
    '/junk-array': (res) => json(res, 200, [1, 'message', null, {}, { verb: 'message' }, [[]]]),
    '/empty': (res) => {
      res.writeHead(204);
      res.end();
    },
    '/huge': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[${'{"verb":"say","text":"x"},'.repeat(60_000)}{}]`);
    },
    '/flaky': (res) => {
      flakyCalls += 1;
      if (flakyCalls < MAX_ATTEMPTS) json(res, 503, {});
      else json(res, 200, {});
    },
  };

  beforeAll(async () => {
    await Promise.all([application.start(), provider.start()]);
    application.handler = (req, res) => (behaviours[req.path] ?? ((r) => json(r, 200, {})))(res);
    provider.handler = (_req, res) => json(res, 200, { id: 'sent' });
    db = await createTestDatabase();
    gateway = await startGateway({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_TIMEOUT_MS: String(WEBHOOK_TIMEOUT_MS),
      WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '100',
      WEBHOOK_POLL_MS: '50',
      JAMBONES_MESSAGING: JSON.stringify({
        simwood: { module: 'simwood', options: { url: `${provider.url}/send` } },
      }),
    });
    tenant = await createTenant(gateway.baseUrl, { hookUrl: `${application.url}/default` });
  }, 30000);

  afterAll(async () => {
    for (const end of hanging) end();
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    await db.drop();
    await Promise.all([application.stop(), provider.stop()]);
  });

  afterEach(async () => {
    expect(gateway.child.exitCode).toBeNull();
    expect((await api(gateway.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
  });

  let serial = 0;
  /** An application whose messaging hook is `url`, a number for it, and one inbound message to it. */
  async function inboundTo(url: string): Promise<string> {
    serial += 1;
    const number = `1508555${String(serial).padStart(4, '0')}`;
    const app = await api(gateway.baseUrl, 'POST', '/v1/Applications', {
      name: url,
      account_sid: tenant.accountSid,
      messaging_hook: { url },
    });
    const num = await api(gateway.baseUrl, 'POST', '/v1/PhoneNumbers', {
      number,
      account_sid: tenant.accountSid,
      application_sid: app.body.sid,
    });
    expect([app.status, num.status]).toEqual([201, 201]);
    const res = await api(
      gateway.baseUrl,
      'POST',
      '/v1/messaging/simwood',
      {
        app: 'sms_inbound',
        data: { originator: '15083084809', destination: number, message: url },
      },
      null,
    );
    expect(res.status).toBe(200);
    const list = await api(
      gateway.baseUrl,
      'GET',
      `/v1/Accounts/${tenant.accountSid}/Messages?number=${number}`,
    );
    return list.body.data[0].sid as string;
  }

  /** The message once its delivery has ended (delivered or failed), with its attempts. */
  const settled = (sid: string) =>
    eventually(async () => {
      const m = (
        await api(gateway.baseUrl, 'GET', `/v1/Accounts/${tenant.accountSid}/Messages/${sid}`)
      ).body;
      return m.status === 'received'
        ? undefined
        : (m as { status: string; delivery_attempts: Attempt[] });
    }, 20000);

  it.each([
    ['down (connection refused)', 'down', /network error ECONNREFUSED/],
    ['slower than WEBHOOK_TIMEOUT_MS', '/slow', /timed out/],
    ['hanging', '/hang', /timed out/],
    ['answering 500', '/500', null],
    ['answering 503', '/503', null],
    ['answering 408', '/408', null],
    ['answering 429', '/429', null],
  ])(
    '%s: retried up to the limit, every attempt recorded, then failed-to-app',
    async (_what, path, error) => {
      const url =
        path === 'down'
          ? `http://127.0.0.1:${await closedPort()}/sms`
          : `${application.url}${path}`;
      const m = await settled(await inboundTo(url));
      expect(m.status).toBe('failed-to-app');
      const attempts = m.delivery_attempts.filter((a) => a.kind === 'messaging_hook');
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      for (const a of attempts) {
        if (error) expect(a.error).toMatch(error);
        else expect(a.status_code).toBe(Number(path.slice(1)));
      }
    },
  );

  it.each([['/400'], ['/404'], ['/401'], ['/302']])(
    'answering %s: final after one attempt, failed-to-app',
    async (path) => {
      const m = await settled(await inboundTo(`${application.url}${path}`));
      expect(m.status).toBe('failed-to-app');
      expect(m.delivery_attempts.map((a) => [a.attempt, a.status_code])).toEqual([
        [1, Number(path.slice(1))],
      ]);
    },
  );

  it.each([
    ['200 with plain text', '/text'],
    ['200 with JSON that is not JSON', '/html-as-json'],
    ['200 with a JSON object, not a list of verbs', '/object'],
    ['200 with a list of things that are not verbs', '/junk-array'],
    ['204 with no body', '/empty'],
  ])('answering %s: delivered, no verb run', async (_what, path) => {
    const sent = provider.requests.length;
    const m = await settled(await inboundTo(`${application.url}${path}`));
    expect(m.status).toBe('delivered-to-app');
    expect(m.delivery_attempts).toHaveLength(1);
    expect(provider.requests.length).toBe(sent);
  });

  it('answering 200 with a body past the 1 MiB cap: delivered once, its verbs not read', async () => {
    const sent = provider.requests.length;
    const m = await settled(await inboundTo(`${application.url}/huge`));
    expect(m.status).toBe('delivered-to-app');
    expect(m.delivery_attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        status_code: 200,
        error: expect.stringMatching(/larger than/),
      }),
    ]);
    expect(application.requests.filter((r) => r.path === '/huge')).toHaveLength(1);
    expect(provider.requests.length).toBe(sent);
  });

  it('failing, then recovering: delivered on the attempt after the failures, exactly once', async () => {
    const m = await settled(await inboundTo(`${application.url}/flaky`));
    expect(m.status).toBe('delivered-to-app');
    expect(m.delivery_attempts.map((a) => a.status_code)).toEqual([503, 503, 200]);
    expect(application.requests.filter((r) => r.path === '/flaky')).toHaveLength(MAX_ATTEMPTS);
  });
});
