import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY } from './utils/create-app';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { api, createTenant, eventually, sleep } from './utils/api';
import { queryDb } from './utils/db-query';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { HttpStub, json } from './utils/http-stub';

/**
 * Two gateways on one database share the outbox: each delivery attempt is made by one of them
 * only, and when one dies the other finishes its work.
 */
describe('two gateway processes on one database', () => {
  let dir: string;
  let db: TestDatabase;
  const application = new HttpStub();
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-two-'));
    db = await createTestDatabase(join(dir, 'shared.sqlite'));
    await application.start();
  });
  afterAll(async () => {
    for (const g of gateways) g.child.kill('SIGKILL');
    await Promise.all(gateways.map((g) => g.exited));
    await application.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = {
    ADMIN_API_KEY: ADMIN_KEY,
    JAMBONES_MESSAGING: JSON.stringify({
      peerless: { module: 'peerless', options: { url: 'http://127.0.0.1:9/unused' } },
    }),
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RETRY_MAX_MS: '300',
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_MAX_ATTEMPTS: '1000',
    LOG_LEVEL: 'warn',
  };

  it('never make the same attempt twice, and lose nothing when one is killed', async () => {
    const a = await startGateway({ ...env, DATABASE_URL: db.url });
    gateways.push(a);
    await createTenant(a.baseUrl, { hookUrl: `${application.url}/sms`, numbers: ['17743008772'] });
    const b = await startGateway({ ...env, DATABASE_URL: db.url });
    gateways.push(b);

    let accepting = false;
    const delivered = new Map<string, number>();
    application.handler = (req, res) => {
      if (!accepting) return json(res, 503, {});
      const sid = (req.json as { messageSid: string }).messageSid;
      delivered.set(sid, (delivered.get(sid) ?? 0) + 1);
      json(res, 200, {});
    };

    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const gw = i % 2 === 0 ? a : b;
      const res = await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/peerless',
        {
          from: '+15083084809',
          recipients: ['+17743008772'],
          text: `message ${i}`,
        },
        null,
      );
      expect(res.status).toBe(200);
      acknowledged.push((res.body as { receipt: string }).receipt);
    }
    // Both gateways are now retrying the same outbox against an application that refuses.
    await sleep(1000);
    a.child.kill('SIGKILL');
    await a.exited;
    accepting = true;

    await eventually(
      () => (acknowledged.every((sid) => delivered.has(sid)) ? true : undefined),
      30000,
    );
    await sleep(500);
    expect([...delivered.keys()].sort()).toEqual([...acknowledged].sort());
    // The killed gateway may have died between an application's 2xx and recording it; it was
    // refusing then, so every message reached the application exactly once.
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);

    const duplicates = await queryDb<{ delivery_id: string; attempt: number; n: number }>(
      db.url,
      'SELECT delivery_id, attempt, COUNT(*) AS n FROM delivery_attempts GROUP BY delivery_id, attempt HAVING COUNT(*) > 1',
    );
    expect(duplicates).toEqual([]);
    const attempts = await queryDb<{ n: number }>(
      db.url,
      'SELECT COUNT(*) AS n FROM delivery_attempts',
    );
    expect(Number(attempts[0]!.n)).toBeGreaterThan(acknowledged.length);
  }, 60000);
});
