import { DataSource } from 'typeorm';
import { ApplicationEntity } from '../src/database/entities';
import { createTestApp, type TestApp } from './utils/create-app';
import {
  accountWithKey,
  type AccountWithKey,
  createApplication,
  expectStatus,
  rest,
  UNKNOWN_SID,
} from './utils/resources';

const PASSWORD = 'hook-pass-Zq8v1x';

describe('/v1/Applications', () => {
  let gw: TestApp;
  let a: AccountWithKey;
  let b: AccountWithKey;
  beforeAll(async () => {
    gw = await createTestApp();
    a = await accountWithKey(gw.baseUrl, 'A');
    b = await accountWithKey(gw.baseUrl, 'B');
  });
  afterAll(() => gw.close());

  const stored = (sid: string): Promise<ApplicationEntity | null> =>
    gw.app.get(DataSource).getRepository(ApplicationEntity).findOneBy({ sid });

  it('creates, reads, lists, updates and deletes an application', async () => {
    const created = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/Applications', {
        token: a.token,
        body: {
          name: 'support',
          account_sid: a.accountSid,
          messaging_hook: { url: 'https://app.example.com/sms' },
        },
      }),
      201,
    );
    expect(Object.keys(created.body)).toEqual(['sid']);
    const sid = created.body.sid as string;

    const read = expectStatus(
      await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`, { token: a.token }),
      200,
    );
    expect(read.body).toEqual({
      sid,
      account_sid: a.accountSid,
      name: 'support',
      messaging_hook: {
        url: 'https://app.example.com/sms',
        method: 'POST',
        username: null,
        has_password: false,
      },
      created_at: expect.any(String),
    });

    const list = expectStatus(
      await rest(gw.baseUrl, 'GET', '/v1/Applications', { token: a.token }),
      200,
    );
    expect(list.body.map((x: { sid: string }) => x.sid)).toContain(sid);

    const updated = expectStatus(
      await rest(gw.baseUrl, 'PUT', `/v1/Applications/${sid}`, {
        token: a.token,
        body: { name: 'support v2', messaging_hook: { method: 'get' } },
      }),
      200,
    );
    expect(updated.body).toMatchObject({
      name: 'support v2',
      messaging_hook: { url: 'https://app.example.com/sms', method: 'GET' },
    });
    expect(
      (await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`, { token: a.token })).body,
    ).toEqual(updated.body);

    const del = await rest(gw.baseUrl, 'DELETE', `/v1/Applications/${sid}`, { token: a.token });
    expect(del.status).toBe(204);
    const gone = await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`, { token: a.token });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ msg: `application ${sid} not found` });
  });

  it('stores the hook password for Basic auth and never returns it', async () => {
    const sid = await createApplication(gw.baseUrl, a.accountSid, {
      url: 'http://127.0.0.1:9/hook',
      method: 'POST',
      username: 'hookuser',
      password: PASSWORD,
    });
    expect((await stored(sid))?.messaging_hook_password).toBe(PASSWORD);

    const reads = [
      await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`),
      await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`, { token: a.token }),
      await rest(gw.baseUrl, 'GET', '/v1/Applications'),
      await rest(gw.baseUrl, 'GET', `/v1/Applications?account_sid=${a.accountSid}`),
      await rest(gw.baseUrl, 'GET', '/v1/Applications', { token: a.token }),
      await rest(gw.baseUrl, 'PUT', `/v1/Applications/${sid}`, { body: { name: 'renamed' } }),
    ];
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(res.raw).not.toContain(PASSWORD);
      expect(res.raw).not.toContain('"password"');
    }
    expect(reads[0]!.body.messaging_hook).toEqual({
      url: 'http://127.0.0.1:9/hook',
      method: 'POST',
      username: 'hookuser',
      has_password: true,
    });
  });

  it('updates the hook field by field: an absent password is kept, null clears it', async () => {
    const sid = await createApplication(gw.baseUrl, a.accountSid, {
      url: 'https://one.example.com/sms',
      username: 'u1',
      password: PASSWORD,
    });
    const put = (body: unknown) =>
      rest(gw.baseUrl, 'PUT', `/v1/Applications/${sid}`, { token: a.token, body });

    const moved = expectStatus(
      await put({ messaging_hook: { url: 'https://two.example.com/x' } }),
      200,
    );
    expect(moved.raw).not.toContain(PASSWORD);
    expect(moved.body.messaging_hook).toEqual({
      url: 'https://two.example.com/x',
      method: 'POST',
      username: 'u1',
      has_password: true,
    });
    expect((await stored(sid))?.messaging_hook_password).toBe(PASSWORD);

    const newPass = 'another-pass-9931';
    const changed = expectStatus(await put({ messaging_hook: { password: newPass } }), 200);
    expect(changed.raw).not.toContain(newPass);
    expect((await stored(sid))?.messaging_hook_password).toBe(newPass);

    const cleared = expectStatus(await put({ messaging_hook: { password: null } }), 200);
    expect(cleared.body.messaging_hook).toMatchObject({ username: 'u1', has_password: false });

    await put({ messaging_hook: { password: newPass } });
    const anonymous = expectStatus(await put({ messaging_hook: { username: null } }), 200);
    expect(anonymous.body.messaging_hook).toMatchObject({ username: null, has_password: false });
    expect((await stored(sid))?.messaging_hook_password).toBeNull();

    const nullAccount = await put({ account_sid: null });
    expect(nullAccount.status).toBe(400);
    expect(nullAccount.body.msg).toContain('account_sid');
    for (const field of ['url', 'method']) {
      const res = await put({ messaging_hook: { [field]: null } });
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.msg).toContain(`messaging_hook.${field}`);
    }
    expect((await put({})).body.messaging_hook.url).toBe('https://two.example.com/x');

    const lonePassword = await put({ messaging_hook: { password: 'x' } });
    expect(lonePassword.status).toBe(400);
    expect(lonePassword.body.msg).toContain('username');

    const removed = expectStatus(await put({ messaging_hook: null }), 200);
    expect(removed.body.messaging_hook).toBeNull();
    const needsUrl = await put({ messaging_hook: { method: 'POST' } });
    expect(needsUrl.status).toBe(400);
    expect(needsUrl.body.msg).toContain('messaging_hook.url');

    const sameAccount = await put({ account_sid: a.accountSid, name: 'same' });
    expect(sameAccount.status).toBe(200);
    const move = await rest(gw.baseUrl, 'PUT', `/v1/Applications/${sid}`, {
      body: { account_sid: b.accountSid },
    });
    expect(move.status).toBe(422);
    expect(move.body.msg).toContain('another account');
  });

  it('accepts an application without a messaging hook', async () => {
    const res = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/Applications', {
        body: { name: 'bare', account_sid: a.accountSid },
      }),
      201,
    );
    const read = await rest(gw.baseUrl, 'GET', `/v1/Applications/${res.body.sid}`);
    expect(read.body.messaging_hook).toBeNull();
  });

  it('validates the body, the nested hook included (400 naming the field)', async () => {
    const base = { name: 'x', account_sid: a.accountSid };
    const cases: Array<[unknown, string]> = [
      [{ ...base, messaging_hook: { url: 'ftp://files.example.com/x' } }, 'messaging_hook.url'],
      [{ ...base, messaging_hook: { url: 'not a url' } }, 'messaging_hook.url'],
      [{ ...base, messaging_hook: { url: '/relative/path' } }, 'messaging_hook.url'],
      [
        { ...base, messaging_hook: { url: 'https://user:pw@app.example.com/sms' } },
        'messaging_hook.url',
      ],
      [{ ...base, messaging_hook: {} }, 'messaging_hook.url'],
      [
        { ...base, messaging_hook: { url: 'https://a.example.com', method: 'PUT' } },
        'messaging_hook.method',
      ],
      [
        { ...base, messaging_hook: { url: 'https://a.example.com', extra: 1 } },
        'messaging_hook.property extra should not exist',
      ],
      [
        { ...base, messaging_hook: { url: 'https://a.example.com', password: 'p' } },
        'messaging_hook.password needs messaging_hook.username',
      ],
      [{ ...base, messaging_hook: 'https://a.example.com' }, 'messaging_hook'],
      [{ ...base, messaging_hook: [{ url: 'https://a.example.com' }] }, 'messaging_hook'],
      [{ account_sid: a.accountSid }, 'name'],
      [{ ...base, name: 'a\u0000b' }, 'name must not contain NUL characters'],
      [{ ...base, messaging_hook: { url: 'https://a.example.com/\u0000' } }, 'messaging_hook.url'],
      [
        { ...base, messaging_hook: { url: 'https://a.example.com', username: 'u\u0000' } },
        'messaging_hook.username must not contain NUL characters',
      ],
      [
        {
          ...base,
          messaging_hook: { url: 'https://a.example.com', username: 'u', password: '\u0000' },
        },
        'messaging_hook.password must not contain NUL characters',
      ],
      [{ name: 'x' }, 'account_sid'],
      [{ ...base, account_sid: 'nope' }, 'account_sid must be a UUID'],
      [
        { ...base, call_hook: { url: 'https://a.example.com' } },
        'property call_hook should not exist',
      ],
    ];
    for (const [body, needle] of cases) {
      const res = await rest(gw.baseUrl, 'POST', '/v1/Applications', { body });
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.msg).toContain(needle);
      expect(res.raw).not.toContain('"pw@');
    }
    const unknownAccount = await rest(gw.baseUrl, 'POST', '/v1/Applications', {
      body: { name: 'x', account_sid: UNKNOWN_SID },
    });
    expect(unknownAccount.status).toBe(422);
    expect(unknownAccount.body.msg).toContain(UNKNOWN_SID);

    const local = await rest(gw.baseUrl, 'POST', '/v1/Applications', {
      body: { ...base, messaging_hook: { url: 'http://localhost:3001/sms', method: 'get' } },
    });
    expect(local.status).toBe(201);
  });

  it("refuses another account's applications to an account key (403), and unknown ones (404)", async () => {
    const bApp = await createApplication(gw.baseUrl, b.accountSid, {
      url: 'https://b.example.com/sms',
      username: 'bu',
      password: PASSWORD,
    });
    for (const [method, path, body] of [
      ['GET', `/v1/Applications/${bApp}`, undefined],
      ['PUT', `/v1/Applications/${bApp}`, { name: 'stolen' }],
      ['DELETE', `/v1/Applications/${bApp}`, undefined],
      ['GET', `/v1/Applications?account_sid=${b.accountSid}`, undefined],
      ['POST', '/v1/Applications', { name: 'x', account_sid: b.accountSid }],
    ] as const) {
      const res = await rest(gw.baseUrl, method, path, { token: a.token, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body).toEqual({ msg: expect.any(String) });
      expect(res.raw).not.toContain(PASSWORD);
    }
    const bRead = await rest(gw.baseUrl, 'GET', `/v1/Applications/${bApp}`, { token: b.token });
    expect(bRead.body.name).toBe('app');

    const mine = expectStatus(
      await rest(gw.baseUrl, 'GET', '/v1/Applications', { token: a.token }),
      200,
    );
    expect(mine.body.length).toBeGreaterThan(0);
    expect(mine.body.every((x: { account_sid: string }) => x.account_sid === a.accountSid)).toBe(
      true,
    );
    const filtered = expectStatus(
      await rest(gw.baseUrl, 'GET', `/v1/Applications?account_sid=${b.accountSid}`),
      200,
    );
    expect(filtered.body.map((x: { sid: string }) => x.sid)).toEqual([bApp]);

    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await rest(gw.baseUrl, method, `/v1/Applications/${UNKNOWN_SID}`, {
        token: a.token,
        body: method === 'PUT' ? { name: 'x' } : undefined,
      });
      expect([method, res.status]).toEqual([method, 404]);
    }
    for (const token of [null, 'wrong']) {
      const res = await rest(gw.baseUrl, 'GET', `/v1/Applications/${bApp}`, { token });
      expect(res.status).toBe(401);
    }
  });

  it('answers 400 for a malformed sid', async () => {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await rest(gw.baseUrl, method, '/v1/Applications/12345', {
        body: method === 'PUT' ? { name: 'x' } : undefined,
      });
      expect([method, res.status]).toEqual([method, 400]);
      expect(res.body).toEqual({ msg: 'path parameter "sid" must be a UUID' });
    }
  });

  it('refuses to delete an application that numbers are assigned to (422)', async () => {
    const sid = await createApplication(gw.baseUrl, a.accountSid);
    const number = expectStatus(
      await rest(gw.baseUrl, 'POST', '/v1/PhoneNumbers', {
        body: { number: '+15085550177', account_sid: a.accountSid, application_sid: sid },
      }),
      201,
    );
    const refused = await rest(gw.baseUrl, 'DELETE', `/v1/Applications/${sid}`);
    expect(refused.status).toBe(422);
    expect(refused.body.msg).toContain('1 phone number(s)');
    expect((await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`)).status).toBe(200);

    expectStatus(
      await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${number.body.sid}`, {
        body: { application_sid: null },
      }),
      200,
    );
    expect((await rest(gw.baseUrl, 'DELETE', `/v1/Applications/${sid}`)).status).toBe(204);
  });
});

describe('/v1/Applications with BLOCK_PRIVATE_WEBHOOKS=true', () => {
  let gw: TestApp;
  let accountSid: string;
  beforeAll(async () => {
    gw = await createTestApp({ env: { BLOCK_PRIVATE_WEBHOOKS: 'true' } });
    accountSid = (await accountWithKey(gw.baseUrl)).accountSid;
  });
  afterAll(() => gw.close());

  it.each([
    'http://127.0.0.1:3000/sms',
    'http://10.1.2.3/sms',
    'http://192.168.0.10/sms',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/sms',
    'http://localhost/sms',
  ])('refuses the hook URL %s (400 naming messaging_hook.url)', async (url) => {
    const res = await rest(gw.baseUrl, 'POST', '/v1/Applications', {
      body: { name: 'x', account_sid: accountSid, messaging_hook: { url } },
    });
    expect(res.status).toBe(400);
    expect(res.body.msg).toMatch(/^messaging_hook\.url .*(loopback|private|link-local)/);
  });

  it('accepts a public address, and refuses a change to a private one', async () => {
    const sid = await createApplication(gw.baseUrl, accountSid, {
      url: 'https://93.184.216.34/sms',
    });
    const res = await rest(gw.baseUrl, 'PUT', `/v1/Applications/${sid}`, {
      body: { messaging_hook: { url: 'http://127.0.0.1/sms' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.msg).toContain('messaging_hook.url');
    const read = await rest(gw.baseUrl, 'GET', `/v1/Applications/${sid}`);
    expect(read.body.messaging_hook.url).toBe('https://93.184.216.34/sms');
  });
});
