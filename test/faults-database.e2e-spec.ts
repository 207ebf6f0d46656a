import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_KEY } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { HttpStub } from './utils/http-stub';
import { testEngine } from './utils/test-database';

/**
 * The database going away under a running gateway (PostgreSQL stopped, then started again): every
 * request is answered 503 with a clear JSON {msg} (never a 500, never a hang), the process stays
 * up, and once the database is back the gateway works again by itself, without a restart.
 *
 * It runs its own PostgreSQL server on another port and data directory, so that stopping it
 * disturbs no other test; and only on PostgreSQL runs (DATABASE_URL=postgres://...): a SQLite
 * file cannot become unreachable like a server.
 */

const PORT = process.env.FAULTS_PGPORT ?? '55433';
const DATA_DIR = process.env.FAULTS_PGDATA ?? '/tmp/sms-gateway-pg-faults';
const SCRIPT = join(__dirname, '..', 'scripts', 'test-postgres.sh');

const onPostgres = testEngine() === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

/** pg_ctl as the script runs it: as the postgres user when this is root. */
function pgCtl(bin: string, args: string): void {
  const command = `${bin}/pg_ctl -D ${DATA_DIR} ${args}`;
  if (process.getuid?.() === 0) {
    execFileSync('su', ['postgres', '-s', '/bin/bash', '-c', command], { stdio: 'ignore' });
  } else {
    execFileSync('bash', ['-c', command], { stdio: 'ignore' });
  }
}

describeOnPostgres(
  'faults: the database becomes unreachable (PostgreSQL stopped and started)',
  () => {
    const application = new HttpStub();
    let bin = '';
    let gateway: GatewayProcess;
    let tenant: Tenant;

    beforeAll(async () => {
      const out = execFileSync('bash', [SCRIPT, 'start'], {
        env: { ...process.env, PGPORT: PORT, PGDATA_DIR: DATA_DIR },
        encoding: 'utf8',
      });
      bin = /PG_BIN=(\S+)/.exec(out)?.[1] ?? '';
      expect(bin).not.toBe('');
      await application.start();
      gateway = await startGateway({
        DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${PORT}/postgres`,
        ADMIN_API_KEY: ADMIN_KEY,
        JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }),
        WEBHOOK_POLL_MS: '100',
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_RETRY_MAX_MS: '200',
      });
      tenant = await createTenant(gateway.baseUrl, {
        hookUrl: `${application.url}/sms`,
        numbers: ['15085710838'],
      });
    }, 60000);

    afterAll(async () => {
      gateway?.child.kill('SIGKILL');
      await gateway?.exited;
      await application.stop();
      try {
        execFileSync('bash', [SCRIPT, 'stop'], {
          env: { ...process.env, PGPORT: PORT, PGDATA_DIR: DATA_DIR },
        });
      } finally {
        rmSync(DATA_DIR, { recursive: true, force: true });
      }
    });

    const inbound = (text: string) =>
      api(
        gateway.baseUrl,
        'POST',
        '/v1/messaging/sandbox',
        { from: '15083084809', to: '15085710838', text },
        null,
      );

    it('answers 503 {msg} while the database is down, stays up, and recovers by itself', async () => {
      expect((await inbound('before')).status).toBe(200);
      await application.waitFor(1);

      pgCtl(bin, '-m fast -w stop');

      const health = await api(gateway.baseUrl, 'GET', '/health', undefined, null);
      expect(health.status).toBe(503);
      expect(typeof health.body.msg).toBe('string');
      const calls: Array<[string, string, unknown, string | null]> = [
        ['GET', `/v1/Applications/${tenant.applicationSid}`, undefined, ADMIN_KEY],
        ['GET', '/v1/PhoneNumbers', undefined, tenant.apiKey],
        ['POST', '/v1/Accounts', { name: 'during the outage' }, ADMIN_KEY],
        ['GET', `/v1/Accounts/${tenant.accountSid}/Messages`, undefined, tenant.apiKey],
        [
          'POST',
          `/v1/Accounts/${tenant.accountSid}/Messages`,
          { from: '15085710838', to: '15083084809', text: 'during the outage' },
          ADMIN_KEY,
        ],
        [
          'POST',
          '/v1/messaging/sandbox',
          { from: '15083084809', to: '15085710838', text: 'during' },
          null,
        ],
      ];
      for (const [method, path, body, token] of calls) {
        const res = await api(gateway.baseUrl, method, path, body, token);
        expect({ call: `${method} ${path}`, status: res.status, msg: res.body?.msg }).toEqual({
          call: `${method} ${path}`,
          status: 503,
          msg: 'the database is unavailable',
        });
      }
      expect(gateway.child.exitCode).toBeNull();

      pgCtl(
        bin,
        `-o "-p ${PORT} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -l ${DATA_DIR}/server.log -w start`,
      );

      await eventually(async () => {
        const res = await api(gateway.baseUrl, 'GET', '/health', undefined, null);
        return res.status === 200 ? true : undefined;
      }, 20000);
      // Everything works again, with what was stored before the outage.
      const app = await api(gateway.baseUrl, 'GET', `/v1/Applications/${tenant.applicationSid}`);
      expect(app.status).toBe(200);
      const seen = application.requests.length;
      expect((await inbound('after')).status).toBe(200);
      await application.waitFor(seen + 1);
      expect((application.requests.at(-1)!.json as { text: string }).text).toBe('after');
      const sent = await api(
        gateway.baseUrl,
        'POST',
        `/v1/Accounts/${tenant.accountSid}/Messages`,
        {
          from: '15085710838',
          to: '15083084809',
          text: 'after the outage',
        },
        tenant.apiKey,
      );
      expect(sent.status).toBe(201);
      const log = await api(
        gateway.baseUrl,
        'GET',
        `/v1/Accounts/${tenant.accountSid}/Messages`,
        undefined,
        tenant.apiKey,
      );
      expect(log.body.data.map((m: { text: string }) => m.text)).toEqual(
        expect.arrayContaining(['before', 'after', 'after the outage']),
      );
      expect(log.body.data.map((m: { text: string }) => m.text)).not.toContain('during the outage');
      // Nothing was logged as an unhandled error: every refusal was the 503 above.
      expect(gateway.output()).not.toMatch(/unhandled error/);
      expect(gateway.child.exitCode).toBeNull();
    }, 90000);
  },
);

if (!onPostgres) {
  describe('faults: the database becomes unreachable', () => {
    it.skip('runs only on PostgreSQL (DATABASE_URL=postgres://...): a SQLite file cannot be stopped like a server', () =>
      undefined);
  });
}
