import { createTestApp, type TestApp } from './utils/create-app';
import {
  accountWithKey,
  createApplication,
  expectStatus,
  rest,
  UNKNOWN_SID,
} from './utils/resources';

describe('/v1/Accounts', () => {
  let gw: TestApp;
  beforeAll(async () => {
    gw = await createTestApp();
  });
  afterAll(() => gw.close());

  it('creates, reads, lists, renames and deletes an account with the admin key', async () => {
    const created = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/Accounts', { body: { name: 'Acme' } }),
      201,
    );
    expect(Object.keys(created.body)).toEqual(['sid']);
    const sid = created.body.sid as string;
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);

    const read = expectStatus(await rest(gw.baseUrl, 'GET', `/v1/Accounts/${sid}`), 200);
    expect(read.body).toEqual({ sid, name: 'Acme', created_at: expect.any(String) });
    expect(new Date(read.body.created_at).toISOString()).toBe(read.body.created_at);

    const list = expectStatus(await rest(gw.baseUrl, 'GET', '/v1/Accounts'), 200);
    expect(list.body.map((a: { sid: string }) => a.sid)).toContain(sid);

    const renamed = expectStatus(
      await rest(gw.baseUrl, 'PUT', `/v1/Accounts/${sid}`, { body: { name: 'Acme Corp' } }),
      200,
    );
    expect(renamed.body).toMatchObject({ sid, name: 'Acme Corp' });
    expect((await rest(gw.baseUrl, 'GET', `/v1/Accounts/${sid}`)).body.name).toBe('Acme Corp');

    const deleted = await rest(gw.baseUrl, 'DELETE', `/v1/Accounts/${sid}`);
    expect(deleted.status).toBe(204);
    expect(deleted.raw).toBe('');
    const gone = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${sid}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ msg: expect.stringContaining(sid) });
  });

  it('generates a webhook secret when none is given, and never shows it but on its endpoint', async () => {
    const { body } = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/Accounts', { body: { name: 'gen' } }),
      201,
    );
    const secret = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${body.sid}/WebhookSecret`);
    expect(secret.status).toBe(200);
    expect(secret.body).toEqual({ webhook_secret: expect.stringMatching(/^wh_[0-9a-f]{32}$/) });
    expect(secret.headers.get('cache-control')).toBe('no-store');
    const generated = secret.body.webhook_secret as string;

    for (const path of ['/v1/Accounts', `/v1/Accounts/${body.sid}`]) {
      const read = expectStatus(await rest(gw.baseUrl, 'GET', path), 200);
      expect(read.raw).not.toContain(generated);
      expect(read.raw).not.toContain('webhook_secret');
    }
    const renamed = await rest(gw.baseUrl, 'PUT', `/v1/Accounts/${body.sid}`, {
      body: { name: 'gen2' },
    });
    expect(renamed.raw).not.toContain(generated);

    const again = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${body.sid}/WebhookSecret`);
    expect(again.body.webhook_secret).toBe(generated);
  });

  it('keeps a given webhook secret and replaces it on regenerate=true', async () => {
    const given = 'my-own-webhook-secret-123';
    const { body } = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/Accounts', {
        body: { name: 'given', webhook_secret: given },
      }),
      201,
    );
    const path = `/v1/Accounts/${body.sid}/WebhookSecret`;
    expect((await rest(gw.baseUrl, 'GET', path)).body).toEqual({ webhook_secret: given });
    expect((await rest(gw.baseUrl, 'GET', `${path}?regenerate=false`)).body).toEqual({
      webhook_secret: given,
    });

    const fresh = expectStatus(await rest(gw.baseUrl, 'GET', `${path}?regenerate=true`), 200);
    expect(fresh.body.webhook_secret).toMatch(/^wh_[0-9a-f]{32}$/);
    expect(fresh.body.webhook_secret).not.toBe(given);
    expect((await rest(gw.baseUrl, 'GET', path)).body.webhook_secret).toBe(
      fresh.body.webhook_secret,
    );

    const bad = await rest(gw.baseUrl, 'GET', `${path}?regenerate=yes`);
    expect(bad.status).toBe(400);
    expect(bad.body.msg).toContain('regenerate');
  });

  it('lets an account key read and rename only its own account, and never create or delete', async () => {
    const a = await accountWithKey(gw.baseUrl, 'A');
    const b = await accountWithKey(gw.baseUrl, 'B');

    const own = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${a.accountSid}`, { token: a.token });
    expect(own.status).toBe(200);
    const list = expectStatus(
      await rest(gw.baseUrl, 'GET', '/v1/Accounts', { token: a.token }),
      200,
    );
    expect(list.body.map((x: { sid: string }) => x.sid)).toEqual([a.accountSid]);
    const rename = await rest(gw.baseUrl, 'PUT', `/v1/Accounts/${a.accountSid}`, {
      token: a.token,
      body: { name: 'A2' },
    });
    expect(rename.status).toBe(200);
    const ownSecret = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${a.accountSid}/WebhookSecret`, {
      token: a.token,
    });
    expect(ownSecret.status).toBe(200);

    const bSecretBefore = (
      await rest(gw.baseUrl, 'GET', `/v1/Accounts/${b.accountSid}/WebhookSecret`)
    ).body.webhook_secret as string;
    for (const [method, path, body] of [
      ['GET', `/v1/Accounts/${b.accountSid}`, undefined],
      ['PUT', `/v1/Accounts/${b.accountSid}`, { name: 'hijacked' }],
      ['GET', `/v1/Accounts/${b.accountSid}/WebhookSecret`, undefined],
      ['GET', `/v1/Accounts/${b.accountSid}/WebhookSecret?regenerate=true`, undefined],
    ] as const) {
      const res = await rest(gw.baseUrl, method, path, { token: a.token, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body).toEqual({ msg: expect.any(String) });
      expect(res.raw).not.toContain(bSecretBefore);
    }
    const bAfter = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${b.accountSid}`);
    expect(bAfter.body.name).toBe('B');
    expect(
      (await rest(gw.baseUrl, 'GET', `/v1/Accounts/${b.accountSid}/WebhookSecret`)).body
        .webhook_secret,
    ).toBe(bSecretBefore);

    const create = await rest(gw.baseUrl, 'POST', '/v1/Accounts', {
      token: a.token,
      body: { name: 'mine' },
    });
    expect(create.status).toBe(403);
    expect(create.body.msg).toContain('admin');
    for (const target of [a.accountSid, b.accountSid]) {
      const del = await rest(gw.baseUrl, 'DELETE', `/v1/Accounts/${target}`, { token: a.token });
      expect(del.status).toBe(403);
    }
    expect((await rest(gw.baseUrl, 'GET', `/v1/Accounts/${b.accountSid}`)).status).toBe(200);
  });

  it('answers 404 for an unknown account, also to an account key', async () => {
    const a = await accountWithKey(gw.baseUrl);
    for (const token of [undefined, a.token]) {
      const res = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${UNKNOWN_SID}`, { token });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ msg: `account ${UNKNOWN_SID} not found` });
    }
    expect((await rest(gw.baseUrl, 'DELETE', `/v1/Accounts/${UNKNOWN_SID}`)).status).toBe(404);
    expect(
      (await rest(gw.baseUrl, 'PUT', `/v1/Accounts/${UNKNOWN_SID}`, { body: { name: 'x' } }))
        .status,
    ).toBe(404);
  });

  it('refuses requests without a valid bearer token (401)', async () => {
    const a = await accountWithKey(gw.baseUrl);
    for (const token of [null, 'not-a-key', `${a.token}x`]) {
      for (const [method, path] of [
        ['GET', '/v1/Accounts'],
        ['GET', `/v1/Accounts/${a.accountSid}`],
        ['POST', '/v1/Accounts'],
        ['GET', `/v1/Accounts/${a.accountSid}/WebhookSecret`],
      ] as const) {
        const res = await rest(gw.baseUrl, method, path, {
          token,
          body: method === 'POST' ? { name: 'x' } : undefined,
        });
        expect([token, path, res.status]).toEqual([token, path, 401]);
        expect(res.body).toEqual({ msg: expect.any(String) });
      }
    }
  });

  it('answers 400 naming the problem for malformed sids and bodies', async () => {
    for (const [method, path] of [
      ['GET', '/v1/Accounts/not-a-uuid'],
      ['PUT', '/v1/Accounts/123'],
      ['DELETE', '/v1/Accounts/abc'],
      ['GET', '/v1/Accounts/zzz/WebhookSecret'],
    ] as const) {
      const res = await rest(gw.baseUrl, method, path, {
        body: method === 'PUT' ? { name: 'x' } : undefined,
      });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body).toEqual({ msg: 'path parameter "sid" must be a UUID' });
    }
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'x', color: 'red' }, 'property color should not exist'],
      [{ name: 'x', webhook_secret: 'short' }, 'webhook_secret'],
      [{ name: 'nul\u0000name' }, 'name must not contain NUL characters'],
      [{ name: 'x', webhook_secret: 'secret\u0000secret' }, 'webhook_secret must not contain NUL'],
      [{ name: 'x', sid: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b' }, 'property sid should not exist'],
      ['{"name":', ''],
    ];
    for (const [body, needle] of cases) {
      const res = await rest(gw.baseUrl, 'POST', '/v1/Accounts', { body });
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.msg).toContain(needle);
    }
    const { body } = await rest(gw.baseUrl, 'POST', '/v1/Accounts', { body: { name: 'ok' } });
    const put = await rest(gw.baseUrl, 'PUT', `/v1/Accounts/${body.sid}`, {
      body: { name: 'x', webhook_secret: 'not-through-put' },
    });
    expect(put.status).toBe(400);
    expect(put.body.msg).toContain('property webhook_secret should not exist');
  });

  it('refuses to delete an account that still has applications or numbers (422), then deletes it with its keys', async () => {
    const a = await accountWithKey(gw.baseUrl);
    const appSid = await createApplication(gw.baseUrl, a.accountSid);
    const number = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/PhoneNumbers', {
        body: { number: '+15085550100', account_sid: a.accountSid },
      }),
      201,
    );
    const refused = await rest(gw.baseUrl, 'DELETE', `/v1/Accounts/${a.accountSid}`);
    expect(refused.status).toBe(422);
    expect(refused.body.msg).toMatch(/1 application\(s\) and 1 phone number\(s\)/);

    expectStatus(await rest(gw.baseUrl, 'DELETE', `/v1/PhoneNumbers/${number.body.sid}`), 204);
    expect((await rest(gw.baseUrl, 'DELETE', `/v1/Accounts/${a.accountSid}`)).status).toBe(422);
    expectStatus(await rest(gw.baseUrl, 'DELETE', `/v1/Applications/${appSid}`), 204);

    // The key works until its account goes, and not after.
    expect((await rest(gw.baseUrl, 'GET', '/v1/Accounts', { token: a.token })).status).toBe(200);
    expectStatus(await rest(gw.baseUrl, 'DELETE', `/v1/Accounts/${a.accountSid}`), 204);
    expect((await rest(gw.baseUrl, 'GET', '/v1/Accounts', { token: a.token })).status).toBe(401);
    const keys = expectStatus(
      await rest(gw.baseUrl, 'GET', `/v1/ApiKeys?account_sid=${a.accountSid}`),
      200,
    );
    expect(keys.body).toEqual([]);
  });
});
