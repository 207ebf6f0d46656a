import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../src/database/entities';
import { createTestApp, type TestApp } from './utils/create-app';
import { accountWithKey, expectStatus, rest, UNKNOWN_SID } from './utils/resources';

describe('/v1/ApiKeys', () => {
  let gw: TestApp;
  beforeAll(async () => {
    gw = await createTestApp();
  });
  afterAll(() => gw.close());

  it('creates a key whose token authenticates, is shown once and stored only as its SHA-256', async () => {
    const { body: account } = await rest(gw.baseUrl, 'POST', '/v1/Accounts', {
      body: { name: 'keys' },
    });
    const created = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/ApiKeys', { body: { account_sid: account.sid } }),
      201,
    );
    expect(Object.keys(created.body).sort()).toEqual(['sid', 'token']);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const token = created.body.token as string;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    const own = await rest(gw.baseUrl, 'GET', `/v1/Accounts/${account.sid}`, { token });
    expect(own.status).toBe(200);

    const rows = await gw.app.get(DataSource).getRepository(ApiKeyEntity).findBy({
      account_sid: account.sid,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);

    for (const path of ['/v1/ApiKeys', `/v1/ApiKeys?account_sid=${account.sid}`]) {
      const list = expectStatus(await rest(gw.baseUrl, 'GET', path), 200);
      expect(list.raw).not.toContain(token);
      expect(list.raw).not.toContain(rows[0]!.token_hash);
      expect(list.raw).not.toContain('token');
    }
    const listed = (await rest(gw.baseUrl, 'GET', `/v1/ApiKeys?account_sid=${account.sid}`)).body;
    expect(listed).toEqual([
      { sid: created.body.sid, account_sid: account.sid, created_at: expect.any(String) },
    ]);
  });

  it('revokes a key: 204, then 401 for every call with it', async () => {
    const a = await accountWithKey(gw.baseUrl);
    expect((await rest(gw.baseUrl, 'GET', '/v1/ApiKeys', { token: a.token })).status).toBe(200);
    const del = await rest(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${a.keySid}`);
    expect(del.status).toBe(204);
    expect(del.raw).toBe('');
    for (const [method, path] of [
      ['GET', '/v1/ApiKeys'],
      ['GET', `/v1/Accounts/${a.accountSid}`],
      ['GET', '/v1/PhoneNumbers'],
    ] as const) {
      const res = await rest(gw.baseUrl, method, path, { token: a.token });
      expect([path, res.status]).toEqual([path, 401]);
      expect(res.body).toEqual({ msg: 'invalid API key' });
    }
    expect((await rest(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${a.keySid}`)).status).toBe(404);
  });

  it('lets an account key revoke itself', async () => {
    const a = await accountWithKey(gw.baseUrl);
    const del = await rest(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${a.keySid}`, { token: a.token });
    expect(del.status).toBe(204);
    expect((await rest(gw.baseUrl, 'GET', '/v1/ApiKeys', { token: a.token })).status).toBe(401);
  });

  it('scopes account keys to their own account', async () => {
    const a = await accountWithKey(gw.baseUrl, 'A');
    const b = await accountWithKey(gw.baseUrl, 'B');

    const second = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/ApiKeys', {
        token: a.token,
        body: { account_sid: a.accountSid },
      }),
      201,
    );
    expect(
      (await rest(gw.baseUrl, 'GET', '/v1/ApiKeys', { token: second.body.token })).status,
    ).toBe(200);

    const forB = await rest(gw.baseUrl, 'POST', '/v1/ApiKeys', {
      token: a.token,
      body: { account_sid: b.accountSid },
    });
    expect(forB.status).toBe(403);
    expect(forB.body).toEqual({ msg: expect.any(String) });
    expect(forB.raw).not.toContain('token"');

    const mine = expectStatus(
      await rest(gw.baseUrl, 'GET', '/v1/ApiKeys', { token: a.token }),
      200,
    );
    expect(mine.body.map((k: { sid: string }) => k.sid).sort()).toEqual(
      [a.keySid, second.body.sid].sort(),
    );
    expect(mine.body.every((k: { account_sid: string }) => k.account_sid === a.accountSid)).toBe(
      true,
    );
    const filtered = await rest(gw.baseUrl, 'GET', `/v1/ApiKeys?account_sid=${b.accountSid}`, {
      token: a.token,
    });
    expect(filtered.status).toBe(403);

    const delB = await rest(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${b.keySid}`, { token: a.token });
    expect(delB.status).toBe(403);
    expect((await rest(gw.baseUrl, 'GET', '/v1/ApiKeys', { token: b.token })).status).toBe(200);

    const all = expectStatus(await rest(gw.baseUrl, 'GET', '/v1/ApiKeys'), 200);
    const sids = all.body.map((k: { sid: string }) => k.sid);
    expect(sids).toEqual(expect.arrayContaining([a.keySid, b.keySid, second.body.sid]));
  });

  it('answers 401 without a key or with a bad one', async () => {
    for (const token of [null, 'bogus']) {
      expect((await rest(gw.baseUrl, 'GET', '/v1/ApiKeys', { token })).status).toBe(401);
      const create = await rest(gw.baseUrl, 'POST', '/v1/ApiKeys', {
        token,
        body: { account_sid: UNKNOWN_SID },
      });
      expect(create.status).toBe(401);
      expect(
        (await rest(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${UNKNOWN_SID}`, { token })).status,
      ).toBe(401);
    }
  });

  it('answers 400, 404 and 422 with a msg for bad input', async () => {
    const malformed = await rest(gw.baseUrl, 'DELETE', '/v1/ApiKeys/not-a-sid');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ msg: 'path parameter "sid" must be a UUID' });
    const unknown = await rest(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${UNKNOWN_SID}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ msg: `API key ${UNKNOWN_SID} not found` });

    for (const [body, needle] of [
      [{}, 'account_sid'],
      [{ account_sid: 'abc' }, 'account_sid must be a UUID'],
      [{ account_sid: UNKNOWN_SID, token: 'chosen' }, 'property token should not exist'],
    ] as const) {
      const res = await rest(gw.baseUrl, 'POST', '/v1/ApiKeys', { body });
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.msg).toContain(needle);
    }
    const noAccount = await rest(gw.baseUrl, 'POST', '/v1/ApiKeys', {
      body: { account_sid: UNKNOWN_SID },
    });
    expect(noAccount.status).toBe(422);
    expect(noAccount.body.msg).toContain(UNKNOWN_SID);
    const badFilter = await rest(gw.baseUrl, 'GET', '/v1/ApiKeys?account_sid=nope');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.msg).toContain('account_sid');
    const unknownQuery = await rest(gw.baseUrl, 'GET', '/v1/ApiKeys?color=red');
    expect(unknownQuery.status).toBe(400);
    expect(unknownQuery.body.msg).toContain('color');
  });
});
