import { randomUUID } from 'node:crypto';
import { PhoneNumbersRepository } from '../src/phone-numbers/phone-numbers.repository';
import { PhoneNumbersService } from '../src/phone-numbers/phone-numbers.service';
import { createTestApp, type TestApp } from './utils/create-app';
import {
  accountWithKey,
  type AccountWithKey,
  createApplication,
  expectStatus,
  rest,
  UNKNOWN_SID,
} from './utils/resources';

describe('/v1/PhoneNumbers', () => {
  let gw: TestApp;
  let a: AccountWithKey;
  let b: AccountWithKey;
  let aApp: string;
  let bApp: string;
  beforeAll(async () => {
    gw = await createTestApp({ env: { DEFAULT_COUNTRY: 'US' } });
    a = await accountWithKey(gw.baseUrl, 'A');
    b = await accountWithKey(gw.baseUrl, 'B');
    aApp = await createApplication(gw.baseUrl, a.accountSid, { url: 'https://a.example.com/sms' });
    bApp = await createApplication(gw.baseUrl, b.accountSid, { url: 'https://b.example.com/sms' });
  });
  afterAll(() => gw.close());

  const provision = (body: Record<string, unknown>, token?: string) =>
    rest(gw.baseUrl, 'POST', '/v1/PhoneNumbers', { body, token });
  const remove = (sid: string) => rest(gw.baseUrl, 'DELETE', `/v1/PhoneNumbers/${sid}`);

  it('creates, reads, lists, updates and deletes a number', async () => {
    const created = expectStatus(
      await provision({ number: '+1 508 555 0101', account_sid: a.accountSid }, a.token),
      201,
    );
    expect(Object.keys(created.body)).toEqual(['sid']);
    const sid = created.body.sid as string;
    const read = expectStatus(
      await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers/${sid}`, { token: a.token }),
      200,
    );
    expect(read.body).toEqual({
      sid,
      number: '15085550101',
      account_sid: a.accountSid,
      application_sid: null,
      created_at: expect.any(String),
    });

    const assigned = expectStatus(
      await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${sid}`, {
        token: a.token,
        body: { application_sid: aApp },
      }),
      200,
    );
    expect(assigned.body).toMatchObject({ sid, number: '15085550101', application_sid: aApp });
    const renumbered = expectStatus(
      await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${sid}`, {
        token: a.token,
        body: { number: '(508) 555-0102' },
      }),
      200,
    );
    expect(renumbered.body).toMatchObject({ number: '15085550102', application_sid: aApp });

    const list = expectStatus(
      await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers?application_sid=${aApp}`),
      200,
    );
    expect(list.body).toEqual([renumbered.body]);

    expect(
      (await rest(gw.baseUrl, 'DELETE', `/v1/PhoneNumbers/${sid}`, { token: a.token })).status,
    ).toBe(204);
    const gone = await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers/${sid}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ msg: `phone number ${sid} not found` });
  });

  it.each([
    ['+1 (508) 571-0838'],
    ['+15085710838'],
    ['15085710838'],
    ['5085710838'],
    ['508.571.0838'],
  ])('stores %s as 15085710838', async (spelling) => {
    const res = expectStatus(await provision({ number: spelling, account_sid: a.accountSid }), 201);
    const read = await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers/${res.body.sid}`);
    expect(read.body.number).toBe('15085710838');
    expectStatus(await remove(res.body.sid), 204);
  });

  it('keeps international numbers in their own country', async () => {
    for (const [input, stored] of [
      ['+447700900123', '447700900123'],
      ['3393646057', '13393646057'],
    ]) {
      const res = expectStatus(await provision({ number: input, account_sid: a.accountSid }), 201);
      const read = await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers/${res.body.sid}`);
      expect(read.body.number).toBe(stored);
      expectStatus(await remove(res.body.sid), 204);
    }
  });

  it('refuses a number that exists already, however it is written (422)', async () => {
    const first = expectStatus(
      await provision({ number: '+15085710838', account_sid: a.accountSid }),
      201,
    );
    for (const [spelling, account] of [
      ['5085710838', a],
      ['+1 (508) 571-0838', a],
      ['15085710838', b],
    ] as const) {
      const dup = await provision(
        { number: spelling, account_sid: account.accountSid },
        account.token,
      );
      expect([spelling, dup.status]).toEqual([spelling, 422]);
      expect(dup.body).toEqual({ msg: 'number 15085710838 already exists' });
    }
    const other = expectStatus(
      await provision({ number: '+15085710839', account_sid: a.accountSid }),
      201,
    );
    const clash = await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${other.body.sid}`, {
      body: { number: '508-571-0838' },
    });
    expect(clash.status).toBe(422);
    expect(clash.body).toEqual({ msg: 'number 15085710838 already exists' });
    expectStatus(await remove(first.body.sid), 204);
    expectStatus(await remove(other.body.sid), 204);
  });

  it('lets exactly one of concurrent creations of a number win; the others get 422, never 500', async () => {
    const spellings = [
      '+15085550150',
      '5085550150',
      '15085550150',
      '+1 508 555 0150',
      '508.555.0150',
      '(508) 555-0150',
    ];
    const answers = await Promise.all(
      spellings.map((number) => provision({ number, account_sid: a.accountSid })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 422, 422, 422, 422, 422]);
    for (const r of answers.filter((x) => x.status === 422)) {
      expect(r.body).toEqual({ msg: 'number 15085550150 already exists' });
    }
    const created = answers.find((r) => r.status === 201)!;
    expectStatus(await remove(created.body.sid), 204);
  });

  it("recognises the database's unique violation, not only the pre-check", async () => {
    const repo = gw.app.get(PhoneNumbersRepository);
    const first = expectStatus(
      await provision({ number: '+15085550155', account_sid: a.accountSid }),
      201,
    );
    const second = expectStatus(
      await provision({ number: '+15085550156', account_sid: a.accountSid }),
      201,
    );
    const row = {
      sid: randomUUID(),
      number: '15085550155',
      account_sid: b.accountSid,
      application_sid: null,
      created_at: new Date().toISOString(),
    };
    expect(await repo.insert(row)).toBe('duplicate-number');
    expect(await repo.update(second.body.sid, { number: '15085550155' })).toBe('duplicate-number');
    expect(await repo.update(second.body.sid, { number: '15085550157' })).toBe('ok');
    expectStatus(await remove(first.body.sid), 204);
    expectStatus(await remove(second.body.sid), 204);
  });

  it('refuses what is not a phone number (400)', async () => {
    for (const number of ['hello', '+1', '', '1-800-FLOWERS', '+12345678901234567', 42]) {
      const res = await provision({ number, account_sid: a.accountSid });
      expect([number, res.status]).toEqual([number, 400]);
      expect(res.body.msg).toContain('number');
    }
  });

  it('refuses an application of another account, or one that does not exist', async () => {
    const foreign = await provision({
      number: '+15085550160',
      account_sid: a.accountSid,
      application_sid: bApp,
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.msg).toBe(`application ${bApp} belongs to another account than the number`);
    const unknown = await provision({
      number: '+15085550160',
      account_sid: a.accountSid,
      application_sid: UNKNOWN_SID,
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.msg).toContain(UNKNOWN_SID);

    const ok = expectStatus(
      await provision({ number: '+15085550160', account_sid: a.accountSid, application_sid: aApp }),
      201,
    );
    const reassign = await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${ok.body.sid}`, {
      body: { application_sid: bApp },
    });
    expect(reassign.status).toBe(422);
    const nullAccount = await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${ok.body.sid}`, {
      body: { account_sid: null },
    });
    expect(nullAccount.status).toBe(400);
    expect(nullAccount.body.msg).toContain('account_sid');
    const move = await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${ok.body.sid}`, {
      body: { account_sid: b.accountSid },
    });
    expect(move.status).toBe(422);
    expect((await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers/${ok.body.sid}`)).body).toMatchObject({
      account_sid: a.accountSid,
      application_sid: aApp,
    });
    expectStatus(await remove(ok.body.sid), 204);
  });

  it("scopes account keys: another account's numbers are 403, lists hold only their own", async () => {
    const bNumber = expectStatus(
      await provision({ number: '+15085550170', account_sid: b.accountSid, application_sid: bApp }),
      201,
    );
    const aNumber = expectStatus(
      await provision({ number: '+15085550171', account_sid: a.accountSid }, a.token),
      201,
    );
    for (const [method, path, body] of [
      ['GET', `/v1/PhoneNumbers/${bNumber.body.sid}`, undefined],
      ['PUT', `/v1/PhoneNumbers/${bNumber.body.sid}`, { application_sid: null }],
      ['DELETE', `/v1/PhoneNumbers/${bNumber.body.sid}`, undefined],
      ['GET', `/v1/PhoneNumbers?account_sid=${b.accountSid}`, undefined],
      ['POST', '/v1/PhoneNumbers', { number: '+15085550172', account_sid: b.accountSid }],
    ] as const) {
      const res = await rest(gw.baseUrl, method, path, { token: a.token, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body).toEqual({ msg: expect.any(String) });
    }
    expect(
      (await rest(gw.baseUrl, 'GET', `/v1/PhoneNumbers/${bNumber.body.sid}`)).body,
    ).toMatchObject({
      application_sid: bApp,
    });
    const mine = expectStatus(
      await rest(gw.baseUrl, 'GET', '/v1/PhoneNumbers', { token: a.token }),
      200,
    );
    expect(mine.body.map((n: { sid: string }) => n.sid)).toEqual([aNumber.body.sid]);
    const all = expectStatus(await rest(gw.baseUrl, 'GET', '/v1/PhoneNumbers'), 200);
    expect(all.body.map((n: { sid: string }) => n.sid)).toEqual(
      expect.arrayContaining([aNumber.body.sid, bNumber.body.sid]),
    );
    for (const token of [null, 'nope']) {
      expect((await rest(gw.baseUrl, 'GET', '/v1/PhoneNumbers', { token })).status).toBe(401);
    }
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const unknown = await rest(gw.baseUrl, method, `/v1/PhoneNumbers/${UNKNOWN_SID}`, {
        token: a.token,
        body: method === 'PUT' ? {} : undefined,
      });
      expect([method, unknown.status]).toEqual([method, 404]);
      const malformed = await rest(gw.baseUrl, method, '/v1/PhoneNumbers/15085550170', {
        body: method === 'PUT' ? {} : undefined,
      });
      expect([method, malformed.status]).toEqual([method, 400]);
      expect(malformed.body).toEqual({ msg: 'path parameter "sid" must be a UUID' });
    }
    const unknownField = await provision({
      number: '+15085550173',
      account_sid: a.accountSid,
      provider: 'peerless',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.msg).toContain('property provider should not exist');
    expectStatus(await remove(bNumber.body.sid), 204);
    expectStatus(await remove(aNumber.body.sid), 204);
  });

  describe('routing lookups (PhoneNumbersService)', () => {
    let numbers: PhoneNumbersService;
    beforeAll(() => {
      numbers = gw.app.get(PhoneNumbersService);
    });

    it('routes to the first provisioned number with an application, to before cc', async () => {
      const routed = expectStatus(
        await provision({
          number: '+15085550180',
          account_sid: a.accountSid,
          application_sid: aApp,
        }),
        201,
      );
      const bare = expectStatus(
        await provision({ number: '+15085550181', account_sid: b.accountSid }),
        201,
      );
      const other = expectStatus(
        await provision({
          number: '+15085550182',
          account_sid: b.accountSid,
          application_sid: bApp,
        }),
        201,
      );
      const first = await numbers.findRoute([
        '19999999999',
        '15085550181',
        '15085550182',
        '15085550180',
      ]);
      expect(first).toMatchObject({
        number: '15085550182',
        accountSid: b.accountSid,
        application: { sid: bApp, messaging_hook_url: 'https://b.example.com/sms' },
      });
      expect((await numbers.findRoute(['15085550180', '15085550182']))?.number).toBe('15085550180');
      expect(await numbers.findRoute(['15085550181', '19999999999'])).toBeUndefined();
      expect(await numbers.findRoute([])).toBeUndefined();

      expect(await numbers.findOwner('15085550181')).toBe(b.accountSid);
      expect(await numbers.findOwner('15085550180')).toBe(a.accountSid);
      expect(await numbers.findOwner('19999999999')).toBeUndefined();

      for (const n of [routed, bare, other]) expectStatus(await remove(n.body.sid), 204);
    });

    it('sees every change to numbers and applications at once', async () => {
      const app = await createApplication(gw.baseUrl, a.accountSid, {
        url: 'https://v1.example.com/sms',
      });
      // Cache a miss, then provision the number: the next lookup must find it.
      expect(await numbers.findRoute(['15085550190'])).toBeUndefined();
      expect(await numbers.findOwner('15085550190')).toBeUndefined();
      const n = expectStatus(
        await provision({ number: '5085550190', account_sid: a.accountSid, application_sid: app }),
        201,
      );
      expect((await numbers.findRoute(['15085550190']))?.application.sid).toBe(app);
      expect(await numbers.findOwner('15085550190')).toBe(a.accountSid);

      await rest(gw.baseUrl, 'PUT', `/v1/Applications/${app}`, {
        body: { messaging_hook: { url: 'https://v2.example.com/sms', method: 'GET' } },
      });
      expect((await numbers.findRoute(['15085550190']))?.application).toMatchObject({
        messaging_hook_url: 'https://v2.example.com/sms',
        messaging_hook_method: 'GET',
      });
      await rest(gw.baseUrl, 'PUT', `/v1/Applications/${app}`, { body: { messaging_hook: null } });
      expect((await numbers.findRoute(['15085550190']))?.application.messaging_hook_url).toBeNull();

      expectStatus(
        await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${n.body.sid}`, {
          body: { application_sid: null },
        }),
        200,
      );
      expect(await numbers.findRoute(['15085550190'])).toBeUndefined();
      expect(await numbers.findOwner('15085550190')).toBe(a.accountSid);

      expectStatus(
        await rest(gw.baseUrl, 'PUT', `/v1/PhoneNumbers/${n.body.sid}`, {
          body: { application_sid: app, number: '+15085550191' },
        }),
        200,
      );
      expect(await numbers.findRoute(['15085550190'])).toBeUndefined();
      expect((await numbers.findRoute(['15085550191']))?.application.sid).toBe(app);

      expectStatus(await remove(n.body.sid), 204);
      expect(await numbers.findRoute(['15085550191'])).toBeUndefined();
      expect(await numbers.findOwner('15085550191')).toBeUndefined();
    });
  });
});
