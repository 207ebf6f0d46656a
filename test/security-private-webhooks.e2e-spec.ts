import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant, eventually, sleep, type Tenant } from './utils/api';
import { HttpStub, json } from './utils/http-stub';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { countRows } from './fixtures/fuzz-kit';
import { isNonPublicAddress } from '../src/common/ip-address';

/**
 * BLOCK_PRIVATE_WEBHOOKS=true: hook URLs that point at loopback, private or link-local addresses
 * are refused with a 400 when they are saved (an application's messaging hook, a Messages API
 * status_hook), and again when they are called, after DNS resolution (a hook saved before the
 * setting was turned on, an actionHook given by an application). Off by default.
 */

const PRIVATE_URLS = [
  'http://127.0.0.1:8080/sms',
  'http://127.1/sms',
  'http://10.1.2.3/sms',
  'http://172.16.5.4/sms',
  'http://192.168.1.10/sms',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::1]:3000/sms',
  'http://[fd00::1]/sms',
  'http://[fe80::1]/sms',
  'http://[::ffff:127.0.0.1]/sms',
  'http://0.0.0.0/sms',
  'http://2130706433/sms',
  'http://0x7f000001/sms',
  'http://localhost/sms',
  'http://LocalHost:3000/sms',
  'http://app.localhost/sms',
  'https://100.64.0.1/sms',
];

/**
 * The machine's own name when the system resolver maps it to non-public addresses only: a
 * public-looking name whose address only resolution reveals (usually through /etc/hosts).
 */
function privateHostname(): string | undefined {
  try {
    const name = hostname();
    const out = execFileSync('getent', ['ahosts', name], { encoding: 'utf8', timeout: 5000 });
    const addresses = out
      .split('\n')
      .map((l) => l.split(/\s+/)[0] ?? '')
      .filter(Boolean);
    return addresses.length > 0 && addresses.every(isNonPublicAddress) ? name : undefined;
  } catch {
    return undefined;
  }
}

const PRIVATE_NAME = privateHostname();
/** Skipped, and shown as skipped, on a machine whose name is public or does not resolve. */
const itWithPrivateName = PRIVATE_NAME ? it : it.skip;

describe('security: BLOCK_PRIVATE_WEBHOOKS', () => {
  describe('when a hook is saved', () => {
    let gw: TestApp;
    let tenant: Tenant;
    let db: DataSource;

    beforeAll(async () => {
      gw = await createTestApp({
        env: {
          BLOCK_PRIVATE_WEBHOOKS: 'true',
          JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }),
        },
      });
      db = gw.app.get(DataSource);
      // A public-looking URL that need not resolve here: names are checked again at delivery.
      tenant = await createTenant(gw.baseUrl, {
        hookUrl: 'https://hooks.example.com/sms',
        numbers: ['15085710838'],
      });
    });
    afterAll(() => gw.close());

    it.each(PRIVATE_URLS)(
      'an application messaging hook at %s is refused with 400',
      async (url) => {
        const before = await countRows(db);
        const created = await api(gw.baseUrl, 'POST', '/v1/Applications', {
          name: 'private',
          account_sid: tenant.accountSid,
          messaging_hook: { url },
        });
        expect(created.status).toBe(400);
        expect(created.body.msg).toMatch(/messaging_hook\.url/);
        const updated = await api(gw.baseUrl, 'PUT', `/v1/Applications/${tenant.applicationSid}`, {
          messaging_hook: { url },
        });
        expect(updated.status).toBe(400);
        expect(updated.body.msg).toMatch(/messaging_hook\.url/);
        expect(await countRows(db)).toEqual(before);
        const app = await api(gw.baseUrl, 'GET', `/v1/Applications/${tenant.applicationSid}`);
        expect(app.body.messaging_hook.url).toBe('https://hooks.example.com/sms');
      },
    );

    it.each(PRIVATE_URLS)(
      'a status_hook at %s is refused with 400 and nothing is sent',
      async (url) => {
        const before = await countRows(db);
        for (const statusHook of [url, { url, method: 'POST' }]) {
          const res = await api(gw.baseUrl, 'POST', `/v1/Accounts/${tenant.accountSid}/Messages`, {
            from: '15085710838',
            to: '15083084809',
            text: 'hi',
            status_hook: statusHook,
          });
          expect(res.status).toBe(400);
          expect(res.body.msg).toMatch(/status_hook/);
        }
        expect(await countRows(db)).toEqual(before);
      },
    );

    itWithPrivateName(
      `a name that resolves to a private address (${PRIVATE_NAME ?? 'none on this machine'}) is refused too`,
      async () => {
        const name = PRIVATE_NAME!;
        const res = await api(gw.baseUrl, 'POST', '/v1/Applications', {
          name: 'by name',
          account_sid: tenant.accountSid,
          messaging_hook: { url: `http://${name}:8080/sms` },
        });
        expect(res.status).toBe(400);
        expect(res.body.msg).toMatch(/resolves to a loopback, private or link-local address/);
      },
    );
  });

  it('is off by default: the same private URLs are accepted', async () => {
    const gw = await createTestApp({
      env: { JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }) },
    });
    try {
      const tenant = await createTenant(gw.baseUrl, {
        hookUrl: 'http://10.1.2.3/sms',
        numbers: ['15085710838'],
      });
      for (const url of [
        'http://127.0.0.1:8080/sms',
        'http://[::1]/sms',
        'http://localhost/sms',
        'http://169.254.169.254/x',
      ]) {
        const app = await api(gw.baseUrl, 'POST', '/v1/Applications', {
          name: 'local',
          account_sid: tenant.accountSid,
          messaging_hook: { url },
        });
        expect({ url, status: app.status }).toEqual({ url, status: 201 });
      }
    } finally {
      await gw.close();
    }
  });

  describe('when a hook is called', () => {
    const application = new HttpStub();
    let dir: string;
    let database: TestDatabase;
    let gw: TestApp | undefined;
    const env = {
      JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }),
      // Failed calls wait long enough to still be pending when the gateway is restarted.
      WEBHOOK_RETRY_BASE_MS: '1500',
      WEBHOOK_RETRY_MAX_MS: '1500',
    };

    beforeAll(async () => {
      await application.start();
      dir = mkdtempSync(join(tmpdir(), 'gw-private-'));
      database = await createTestDatabase(join(dir, 'gateway.sqlite'));
    });
    afterAll(async () => {
      await gw?.close();
      await database.drop();
      await application.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('hooks saved while it was off are refused at delivery once it is on, and the refusal is recorded', async () => {
      const name = PRIVATE_NAME;
      // 1. Off: hooks at 127.0.0.1 (and at the machine's name) are saved and called.
      application.handler = (req, res) => {
        if (req.path === '/by-name') json(res, 200, {});
        else if (req.path === '/sms') {
          json(res, 200, [
            {
              verb: 'message',
              from: '15085710838',
              to: '15083084809',
              text: 'reply',
              actionHook: '/action',
            },
          ]);
        } else json(res, 503, {});
      };
      gw = await createTestApp({ db: database, env });
      const tenant = await createTenant(gw.baseUrl, {
        hookUrl: `${application.url}/sms`,
        numbers: ['15085710838'],
      });
      const byName = name
        ? await createTenant(gw.baseUrl, {
            hookUrl: `http://${name}:${new URL(application.url).port}/by-name`,
            numbers: ['15085710839'],
          })
        : undefined;
      const inbound = (to: string) =>
        api(
          gw!.baseUrl,
          'POST',
          '/v1/messaging/sandbox',
          { from: '15083084809', to, text: 'hi' },
          null,
        );
      expect((await inbound('15085710838')).status).toBe(200);
      const sent = await api(gw.baseUrl, 'POST', `/v1/Accounts/${tenant.accountSid}/Messages`, {
        from: '15085710838',
        to: '15083084809',
        text: 'with a status hook',
        status_hook: `${application.url}/status`,
      });
      expect(sent.status).toBe(201);
      // The messaging hook, then the actionHook (503) and the status hook (503): both now wait to retry.
      await eventually(() => {
        const paths = application.requests.map((r) => r.path);
        return paths.includes('/action') && paths.includes('/status') ? true : undefined;
      });
      if (byName) {
        expect((await inbound('15085710839')).status).toBe(200);
        await eventually(() =>
          application.requests.some((r) => r.path === '/by-name') ? true : undefined,
        );
      }
      await gw.close({ keepDatabase: true });
      gw = undefined;
      const calledWhileOff = application.requests.length;

      // 2. On, with the same database: nothing private is called any more.
      gw = await createTestApp({ db: database, env: { ...env, BLOCK_PRIVATE_WEBHOOKS: 'true' } });
      const db = gw.app.get(DataSource);
      const res = await inbound('15085710838');
      expect(res.status).toBe(200);
      if (byName) expect((await inbound('15085710839')).status).toBe(200);

      type Row = { kind: string; state: string; last_error: string | null; url: string };
      const rows = await eventually(async () => {
        const all: Row[] = await db.query(
          'SELECT kind, state, last_error, url FROM webhook_deliveries ORDER BY created_at',
        );
        return all.some((r) => r.state === 'pending') ? undefined : all;
      }, 15000);
      const refused = rows.filter((r) => r.last_error?.startsWith('refused:'));
      expect(refused.map((r) => r.kind).sort()).toEqual(
        [
          'action_hook',
          'messaging_hook',
          'status_hook',
          ...(byName ? ['messaging_hook'] : []),
        ].sort(),
      );
      for (const r of refused) {
        expect(r.state).toBe('failed');
        expect(r.last_error).toMatch(
          r.url.includes('127.0.0.1')
            ? /refused: the URL points at a loopback, private or link-local address/
            : /refused: the URL host .* resolves to a loopback, private or link-local address/,
        );
      }
      await sleep(300);
      expect(application.requests.length).toBe(calledWhileOff);

      // The message log shows why: the inbound message failed to reach its application.
      const list = await api(
        gw.baseUrl,
        'GET',
        `/v1/Accounts/${tenant.accountSid}/Messages?direction=inbound`,
      );
      const latest = list.body.data[0];
      expect(latest.status).toBe('failed-to-app');
      const detail = await api(
        gw.baseUrl,
        'GET',
        `/v1/Accounts/${tenant.accountSid}/Messages/${latest.sid}`,
      );
      expect(detail.body.delivery_attempts.map((a: { error: string }) => a.error)).toEqual([
        expect.stringMatching(/^refused: /),
      ]);
    }, 40000);
  });
});
