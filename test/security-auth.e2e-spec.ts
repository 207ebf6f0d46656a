import { DataSource } from 'typeorm';
import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant, type ApiAnswer, type Tenant } from './utils/api';
import { HttpStub } from './utils/http-stub';
import { countRows, type Table } from './fixtures/fuzz-kit';

/**
 * Who may call what: every endpoint refuses a missing or wrong key with 401, an account key on
 * another account's resources with 403, and an account key on admin-only endpoints with 403;
 * nothing is changed by a refused call. The endpoints are read from the OpenAPI document, so one
 * added later is checked too.
 */

const TABLES: readonly Table[] = [
  'accounts',
  'api_keys',
  'applications',
  'phone_numbers',
  'messages',
  'webhook_deliveries',
];

/**
 * Reached without a key: the provider webhook (it has its own inbound_auth), the health probes,
 * and the Prometheus metrics (counts and latencies only; kept off the public network).
 */
const PUBLIC = new Set([
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'POST /v1/messaging/{provider}',
]);

/** What SPEC.md promises; the document must list at least these. */
const PROMISED = [
  'POST /v1/Accounts',
  'GET /v1/Accounts/{sid}',
  'GET /v1/Accounts/{sid}/WebhookSecret',
  'POST /v1/ApiKeys',
  'DELETE /v1/ApiKeys/{sid}',
  'POST /v1/Applications',
  'GET /v1/Applications',
  'GET /v1/Applications/{sid}',
  'PUT /v1/Applications/{sid}',
  'DELETE /v1/Applications/{sid}',
  'POST /v1/PhoneNumbers',
  'GET /v1/PhoneNumbers',
  'GET /v1/PhoneNumbers/{sid}',
  'PUT /v1/PhoneNumbers/{sid}',
  'DELETE /v1/PhoneNumbers/{sid}',
  'GET /v1/MessagingProviders',
  'POST /v1/messaging/{provider}',
  'POST /v1/Accounts/{accountSid}/Messages',
  'GET /v1/Accounts/{accountSid}/Messages',
  'GET /v1/Accounts/{accountSid}/Messages/{messageSid}',
  'GET /health',
];

interface Owned extends Tenant {
  keySid: string;
  numberSid: string;
  number: string;
  messageSid: string;
}

const expectRefused = (res: ApiAnswer, status: number, what: string): void => {
  expect({ what, status: res.status, hasMsg: typeof res.body?.msg === 'string' }).toEqual({
    what,
    status,
    hasMsg: true,
  });
};

describe('security: keys and tenants', () => {
  const application = new HttpStub();
  let gw: TestApp;
  let db: DataSource;
  let a: Owned;
  let b: Owned;
  let operations: string[];

  async function owned(number: string): Promise<Owned> {
    const t = await createTenant(gw.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: [number],
    });
    const key = await api(gw.baseUrl, 'POST', '/v1/ApiKeys', { account_sid: t.accountSid });
    const numbers = await api(gw.baseUrl, 'GET', `/v1/PhoneNumbers?account_sid=${t.accountSid}`);
    const sent = await api(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${t.accountSid}/Messages`,
      { from: number, to: '15083084809', text: 'hello' },
      t.apiKey,
    );
    expect([key.status, numbers.status, sent.status]).toEqual([201, 200, 201]);
    return {
      ...t,
      keySid: key.body.sid,
      numberSid: numbers.body[0].sid,
      number,
      messageSid: sent.body.sid,
    };
  }

  /** The path of an operation, its parameters naming `owner`'s resources. */
  const pathFor = (op: string, owner: Owned): string => {
    const [, template] = op.split(' ') as [string, string];
    const sid = template.startsWith('/v1/ApiKeys')
      ? owner.keySid
      : template.startsWith('/v1/Applications')
        ? owner.applicationSid
        : template.startsWith('/v1/PhoneNumbers')
          ? owner.numberSid
          : owner.accountSid;
    return template
      .replace('{sid}', sid)
      .replace('{accountSid}', owner.accountSid)
      .replace('{messageSid}', owner.messageSid)
      .replace('{provider}', 'sandbox');
  };

  /** A body the operation accepts, for `owner`: only the key can be the reason of a refusal. */
  const bodyFor = (op: string, owner: Owned): unknown => {
    switch (op) {
      case 'POST /v1/Accounts':
        return { name: 'intruder' };
      case 'PUT /v1/Accounts/{sid}':
        return { name: 'renamed by someone else' };
      case 'POST /v1/ApiKeys':
        return { account_sid: owner.accountSid };
      case 'POST /v1/Applications':
        return {
          name: 'x',
          account_sid: owner.accountSid,
          messaging_hook: { url: 'https://example.com/x' },
        };
      case 'PUT /v1/Applications/{sid}':
        return { name: 'renamed', messaging_hook: { url: 'https://attacker.example.com/steal' } };
      case 'POST /v1/PhoneNumbers':
        return { number: '15085559999', account_sid: owner.accountSid };
      case 'PUT /v1/PhoneNumbers/{sid}':
        return { application_sid: null };
      case 'POST /v1/Accounts/{accountSid}/Messages':
        return { from: owner.number, to: '15083084809', text: 'spoofed' };
      default:
        return op.startsWith('POST') || op.startsWith('PUT') ? {} : undefined;
    }
  };

  /** What an owner's resources look like to the admin: compared before and after refused calls. */
  const snapshot = async (owner: Owned): Promise<unknown> => ({
    account: (await api(gw.baseUrl, 'GET', `/v1/Accounts/${owner.accountSid}`)).body,
    secret: (await api(gw.baseUrl, 'GET', `/v1/Accounts/${owner.accountSid}/WebhookSecret`)).body,
    keys: (await api(gw.baseUrl, 'GET', `/v1/ApiKeys?account_sid=${owner.accountSid}`)).body,
    applications: (await api(gw.baseUrl, 'GET', `/v1/Applications?account_sid=${owner.accountSid}`))
      .body,
    numbers: (await api(gw.baseUrl, 'GET', `/v1/PhoneNumbers?account_sid=${owner.accountSid}`))
      .body,
    messages: (await api(gw.baseUrl, 'GET', `/v1/Accounts/${owner.accountSid}/Messages`)).body,
  });

  beforeAll(async () => {
    await application.start();
    gw = await createTestApp({
      env: { JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }) },
    });
    db = gw.app.get(DataSource);
    a = await owned('15085710838');
    b = await owned('15085710839');
    const doc = await api(gw.baseUrl, 'GET', '/docs-json', undefined, null);
    expect(doc.status).toBe(200);
    operations = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });

  afterAll(async () => {
    await gw.close();
    await application.stop();
  });

  it('the OpenAPI document lists every endpoint SPEC.md promises', () => {
    expect(operations).toEqual(expect.arrayContaining(PROMISED));
  });

  it('no endpoint but health, metrics and the provider webhook answers without a key', async () => {
    const openWithoutKey: Array<[string, number]> = [];
    for (const op of operations) {
      const [method] = op.split(' ') as [string];
      const res = await api(gw.baseUrl, method, pathFor(op, b), bodyFor(op, b), null);
      if (res.status !== 401) openWithoutKey.push([op, res.status]);
      else expectRefused(res, 401, op);
    }
    expect(openWithoutKey.map(([op]) => op).sort()).toEqual([...PUBLIC].sort());
    for (const [op, status] of openWithoutKey) {
      expect({ op, answered: status === 200 || (status >= 400 && status < 500) }).toEqual({
        op,
        answered: true,
      });
    }
  });

  it('every endpoint refuses wrong keys with 401 {msg}, and changes nothing', async () => {
    const revoked = await api(gw.baseUrl, 'POST', '/v1/ApiKeys', { account_sid: b.accountSid });
    expect((await api(gw.baseUrl, 'DELETE', `/v1/ApiKeys/${revoked.body.sid}`)).status).toBe(204);
    const wrong: Array<[string, Record<string, string>]> = [
      ['an unknown token', { authorization: 'Bearer not-a-key-0123456789' }],
      [
        'the admin key with one character changed',
        { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}x` },
      ],
      ['the admin key with a suffix', { authorization: `Bearer ${ADMIN_KEY}0` }],
      [
        'a key in another scheme',
        { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}` },
      ],
      ['a scheme without a token', { authorization: 'Bearer' }],
      ['a revoked API key', { authorization: `Bearer ${revoked.body.token}` }],
      ['a key sid instead of its token', { authorization: `Bearer ${b.keySid}` }],
      ['the key in another header', { 'x-api-key': ADMIN_KEY }],
    ];
    const before = await countRows(db, TABLES);
    const snapshotB = await snapshot(b);
    for (const op of operations.filter((o) => !PUBLIC.has(o))) {
      const [method] = op.split(' ') as [string];
      for (const [what, headers] of wrong) {
        const res = await api(gw.baseUrl, method, pathFor(op, b), bodyFor(op, b), null, headers);
        expectRefused(res, 401, `${op} with ${what}`);
      }
      // A key in the query string is not a key.
      const res = await api(
        gw.baseUrl,
        method,
        `${pathFor(op, b)}?api_key=${ADMIN_KEY}`,
        bodyFor(op, b),
        null,
      );
      expectRefused(res, 401, `${op} with the key in the query`);
    }
    expect(await countRows(db, TABLES)).toEqual(before);
    expect(await snapshot(b)).toEqual(snapshotB);
  });

  it("one account's key gets 403 {msg} on every resource of another account, and changes nothing", async () => {
    const before = await countRows(db, TABLES);
    const snapshotB = await snapshot(b);
    const reached: string[] = [];
    for (const op of operations.filter((o) => !PUBLIC.has(o) && /\{|POST/.test(o))) {
      if (op === 'POST /v1/Accounts') continue; // names no account: see the admin-only test
      const [method] = op.split(' ') as [string];
      const res = await api(gw.baseUrl, method, pathFor(op, b), bodyFor(op, b), a.apiKey);
      expectRefused(res, 403, `${op} with another account's key`);
      reached.push(op);
    }
    expect(reached).toEqual(
      expect.arrayContaining([
        'GET /v1/Accounts/{sid}',
        'GET /v1/Accounts/{sid}/WebhookSecret',
        'DELETE /v1/ApiKeys/{sid}',
        'POST /v1/ApiKeys',
        'PUT /v1/Applications/{sid}',
        'DELETE /v1/PhoneNumbers/{sid}',
        'POST /v1/Accounts/{accountSid}/Messages',
        'GET /v1/Accounts/{accountSid}/Messages/{messageSid}',
      ]),
    );
    const regenerate = await api(
      gw.baseUrl,
      'GET',
      `/v1/Accounts/${b.accountSid}/WebhookSecret?regenerate=true`,
      undefined,
      a.apiKey,
    );
    expectRefused(regenerate, 403, 'regenerating the webhook secret of another account');
    for (const list of ['/v1/Applications', '/v1/PhoneNumbers', '/v1/ApiKeys']) {
      const res = await api(
        gw.baseUrl,
        'GET',
        `${list}?account_sid=${b.accountSid}`,
        undefined,
        a.apiKey,
      );
      expectRefused(res, 403, `GET ${list} filtered on another account`);
    }
    expect(await countRows(db, TABLES)).toEqual(before);
    expect(await snapshot(b)).toEqual(snapshotB);
  });

  it("lists under an account key hold that account's resources only", async () => {
    for (const list of ['/v1/Accounts', '/v1/Applications', '/v1/PhoneNumbers', '/v1/ApiKeys']) {
      const res = await api(gw.baseUrl, 'GET', list, undefined, a.apiKey);
      expect(res.status).toBe(200);
      const items = res.body as Array<{ sid: string; account_sid?: string }>;
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item.account_sid ?? item.sid).toBe(a.accountSid);
      expect(res.raw).not.toContain(b.accountSid);
    }
    // The message of b, asked for under a's own path, is not found there.
    const res = await api(
      gw.baseUrl,
      'GET',
      `/v1/Accounts/${a.accountSid}/Messages/${b.messageSid}`,
      undefined,
      a.apiKey,
    );
    expectRefused(res, 404, "another account's message under one's own path");
  });

  it("an account key cannot tie its resources to another account's: foreign applications and numbers", async () => {
    const before = await countRows(db, TABLES);
    const snapshotB = await snapshot(b);
    const number = await api(
      gw.baseUrl,
      'POST',
      '/v1/PhoneNumbers',
      { number: '15085558888', account_sid: a.accountSid, application_sid: b.applicationSid },
      a.apiKey,
    );
    expect(number.status).toBeGreaterThanOrEqual(400);
    expect(number.status).toBeLessThan(500);
    const move = await api(
      gw.baseUrl,
      'PUT',
      `/v1/PhoneNumbers/${a.numberSid}`,
      { application_sid: b.applicationSid },
      a.apiKey,
    );
    expect(move.status).toBeGreaterThanOrEqual(400);
    expect(move.status).toBeLessThan(500);
    const steal = await api(
      gw.baseUrl,
      'PUT',
      `/v1/PhoneNumbers/${a.numberSid}`,
      { account_sid: b.accountSid },
      a.apiKey,
    );
    expect(steal.status).toBeGreaterThanOrEqual(400);
    expect(steal.status).toBeLessThan(500);
    const send = await api(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${a.accountSid}/Messages`,
      { from: b.number, to: '15083084809', text: 'spoof' },
      a.apiKey,
    );
    expectRefused(send, 403, "sending from another account's number");
    expect(await countRows(db, TABLES)).toEqual(before);
    expect(await snapshot(b)).toEqual(snapshotB);
  });

  it('an account key gets 403 {msg} on the admin-only endpoints, even for its own account', async () => {
    const before = await countRows(db, TABLES);
    expectRefused(
      await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'self-made' }, a.apiKey),
      403,
      'POST /v1/Accounts',
    );
    expectRefused(
      await api(gw.baseUrl, 'DELETE', `/v1/Accounts/${a.accountSid}`, undefined, a.apiKey),
      403,
      'DELETE own account',
    );
    expectRefused(
      await api(gw.baseUrl, 'DELETE', `/v1/Accounts/${b.accountSid}`, undefined, a.apiKey),
      403,
      'DELETE another account',
    );
    const providers = await api(gw.baseUrl, 'GET', '/v1/MessagingProviders', undefined, a.apiKey);
    expectRefused(providers, 403, 'GET /v1/MessagingProviders');
    expect(await countRows(db, TABLES)).toEqual(before);
    // The same calls with the admin key are allowed: the refusals above were about the key.
    expect((await api(gw.baseUrl, 'GET', '/v1/MessagingProviders')).status).toBe(200);
  });
});
