import { join } from 'node:path';
import { ADMIN_KEY } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { HttpStub } from './utils/http-stub';

/**
 * Errors nothing catches, left behind by a badly written plug-in in the built gateway: a rejected
 * promise nobody awaits, and a socket error thrown from a callback. Each is logged, and the
 * process goes on serving: health, sends and inbound messages still work.
 */

const PLUGIN = join(__dirname, 'fixtures', 'plugins', 'stray-errors-plugin.js');

describe('faults: unhandled rejections and uncaught exceptions', () => {
  const application = new HttpStub();
  let db: TestDatabase;
  let gateway: GatewayProcess;
  let tenant: Tenant;

  beforeAll(async () => {
    await application.start();
    db = await createTestDatabase();
    gateway = await startGateway({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN_KEY,
      JAMBONES_MESSAGING: JSON.stringify({ stray: { module: PLUGIN, options: {} } }),
    });
    tenant = await createTenant(gateway.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: ['15085710838'],
    });
  });

  afterAll(async () => {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    await db.drop();
    await application.stop();
  });

  const send = (text: string) =>
    api(
      gateway.baseUrl,
      'POST',
      `/v1/Accounts/${tenant.accountSid}/Messages`,
      { from: '15085710838', to: '15083084809', text },
      tenant.apiKey,
    );

  async function stillServing(): Promise<void> {
    expect(gateway.child.exitCode).toBeNull();
    expect((await api(gateway.baseUrl, 'GET', '/health', undefined, null)).status).toBe(200);
    expect((await send('ordinary')).status).toBe(201);
    const seen = application.requests.length;
    const inbound = await api(
      gateway.baseUrl,
      'POST',
      '/v1/messaging/stray',
      { from: '15083084809', to: '15085710838', text: 'still there?' },
      null,
    );
    expect(inbound.status).toBe(200);
    await application.waitFor(seen + 1);
  }

  /** A line of the log since `from` that matches every one of `patterns`. */
  const loggedLine = (from: number, patterns: RegExp[]): string | undefined =>
    gateway
      .output()
      .slice(from)
      .split('\n')
      .find((line) => patterns.every((p) => p.test(line)));

  it.each([
    [
      'a rejected promise nobody awaits',
      'reject',
      [/unhandled promise rejection/, /stray rejection from the plug-in/],
    ],
    ['a promise rejected with nothing', 'reject-with-nothing', [/unhandled promise rejection/]],
    [
      'a socket error thrown from a callback',
      'io-error',
      [/uncaught exception/, /read ECONNRESET/],
    ],
  ])('%s is logged, and the gateway keeps serving', async (_what, text, patterns) => {
    const before = gateway.output().length;
    expect((await send(text)).status).toBe(201);
    const line = await eventually(() => loggedLine(before, patterns));
    expect(line).toMatch(/"level":"(error|fatal)"|ERROR/);
    await stillServing();
  });
});
