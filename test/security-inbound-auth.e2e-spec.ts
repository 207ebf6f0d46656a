import { ADMIN_KEY } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { HttpStub } from './utils/http-stub';

/**
 * Optional inbound authentication per provider (`inbound_auth` beside `module` and `options` in
 * JAMBONES_MESSAGING): HTTP Basic credentials and/or allowed source addresses. A refused post is
 * answered 401 or 403 with a JSON {msg}, stores nothing, reaches no application, and is logged
 * without the credentials. The gateway runs as its own process, so its log is what is searched.
 */

const PEERLESS_PASSWORD = 'peerless-inbound-Pa55-secret';
const SIMWOOD_PASSWORD = 'simwood-inbound-Pa55-secret';

const basic = (user: string, pass: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
});

describe('security: inbound authentication per provider', () => {
  const application = new HttpStub();
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let tenant: Tenant;

  beforeAll(async () => {
    await application.start();
    db = await createTestDatabase();
    const unused = { url: 'http://127.0.0.1:9/unused' };
    gateway = await startGateway({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'debug',
      JAMBONES_MESSAGING: JSON.stringify({
        peerless: {
          module: 'peerless',
          options: unused,
          inbound_auth: { username: 'peerless-in', password: PEERLESS_PASSWORD },
        },
        '382com': {
          module: '382com',
          options: unused,
          inbound_auth: { allowed_sources: ['10.0.0.0/8'] },
        },
        simwood: {
          module: 'simwood',
          options: unused,
          inbound_auth: {
            username: 'simwood-in',
            password: SIMWOOD_PASSWORD,
            allowed_sources: ['127.0.0.1'],
          },
        },
        sandbox: {
          module: 'sandbox',
          options: {},
          inbound_auth: { allowed_sources: ['192.0.2.0/24', '127.0.0.0/8'] },
        },
        open: { module: 'sandbox', options: {} },
      }),
    });
    tenant = await createTenant(gateway.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: ['17743008772', '13393646057', '15085710838'],
    });
  });

  afterAll(async () => {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    await db.drop();
    await application.stop();
  });

  const BODIES: Record<string, unknown> = {
    peerless: { from: '+15083084809', recipients: ['+17743008772'], text: 'hi' },
    '382com': { source: '5083084809', destination: '3393646057', type: 'sms', message: 'hi' },
    simwood: {
      app: 'sms_inbound',
      data: { originator: '15083084809', destination: '15085710838', message: 'hi' },
    },
    sandbox: { from: '15083084809', to: '15085710838', text: 'hi' },
    open: { from: '15083084809', to: '15085710838', text: 'hi' },
  };

  const post = (provider: string, headers: Record<string, string> = {}) =>
    api(gateway.baseUrl, 'POST', `/v1/messaging/${provider}`, BODIES[provider], null, headers);

  const storedMessages = async (): Promise<number> =>
    (await api(gateway.baseUrl, 'GET', `/v1/Accounts/${tenant.accountSid}/Messages?limit=200`)).body
      .data.length;

  /** A refused post: the status, a JSON msg, nothing stored, nothing delivered. */
  async function expectRefused(
    provider: string,
    headers: Record<string, string>,
    status: 401 | 403,
  ): Promise<void> {
    const before = await storedMessages();
    const delivered = application.requests.length;
    const res = await post(provider, headers);
    expect({ provider, status: res.status }).toEqual({ provider, status });
    expect(typeof res.body.msg).toBe('string');
    if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(res.raw).not.toContain(PEERLESS_PASSWORD);
    expect(res.raw).not.toContain(SIMWOOD_PASSWORD);
    expect(await storedMessages()).toBe(before);
    expect(application.requests.length).toBe(delivered);
  }

  it('Basic credentials: missing or wrong is 401 {msg}, right is 200 and delivered', async () => {
    await expectRefused('peerless', {}, 401);
    await expectRefused('peerless', basic('peerless-in', 'wrong'), 401);
    await expectRefused('peerless', basic('someone', PEERLESS_PASSWORD), 401);
    await expectRefused('peerless', basic('peerless-in', `${PEERLESS_PASSWORD}x`), 401);
    await expectRefused('peerless', { authorization: `Bearer ${PEERLESS_PASSWORD}` }, 401);
    await expectRefused('peerless', { authorization: 'Basic !!!not-base64' }, 401);
    // Another provider's credentials are not this one's.
    await expectRefused('peerless', basic('simwood-in', SIMWOOD_PASSWORD), 401);

    const ok = await post('peerless', basic('peerless-in', PEERLESS_PASSWORD));
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('accepted');
    await application.waitFor(1);
  });

  it('allowed_sources ["10.0.0.0/8"] refuses a post from 127.0.0.1 with 403 {msg}', async () => {
    await expectRefused('382com', {}, 403);
  });

  it('allowed_sources ["127.0.0.1"] with credentials: the source passes, the credentials are still needed', async () => {
    await expectRefused('simwood', {}, 401);
    await expectRefused('simwood', basic('simwood-in', 'nope'), 401);
    const ok = await post('simwood', basic('simwood-in', SIMWOOD_PASSWORD));
    expect(ok.status).toBe(200);
  });

  it('allowed_sources with 127.0.0.0/8 among other ranges lets 127.0.0.1 in', async () => {
    const ok = await post('sandbox');
    expect(ok.status).toBe(200);
  });

  it('a provider without inbound_auth takes posts from anyone', async () => {
    expect((await post('open')).status).toBe(200);
  });

  it('every refusal is logged, naming the provider and the reason, without the credentials', async () => {
    const log = await eventually(() => {
      const out = gateway.output();
      return /refused: source 127\.0\.0\.1 is not allowed/.test(out) ? out : undefined;
    });
    expect(log).toMatch(/inbound post for peerless refused: missing or wrong credentials/);
    expect(log).toMatch(/inbound post for simwood refused: missing or wrong credentials/);
    expect(log).toMatch(/inbound post for 382com refused: source 127\.0\.0\.1 is not allowed/);
    expect(log).not.toContain(PEERLESS_PASSWORD);
    expect(log).not.toContain(SIMWOOD_PASSWORD);
    // Nor as they travelled, base64-encoded in the Authorization header.
    expect(log).not.toContain(Buffer.from(`peerless-in:${PEERLESS_PASSWORD}`).toString('base64'));
    expect(log).not.toContain(Buffer.from(`simwood-in:${SIMWOOD_PASSWORD}`).toString('base64'));
  });

  it('the provider list never shows an inbound password', async () => {
    const res = await api(gateway.baseUrl, 'GET', '/v1/MessagingProviders');
    expect(res.status).toBe(200);
    expect(res.raw).not.toContain(PEERLESS_PASSWORD);
    expect(res.raw).not.toContain(SIMWOOD_PASSWORD);
  });
});
