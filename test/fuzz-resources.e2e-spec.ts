import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant, type Tenant } from './utils/api';
import { HttpStub } from './utils/http-stub';
import {
  assertNoServerError,
  assertRefusal,
  badPathParam,
  countRows,
  deepJson,
  fuzzParams,
  garbageBody,
  garbageHeaders,
  mutated,
  nastyString,
  prototypePollution,
  oneFieldWrong,
  otherMethod,
  rawRequest,
  watchProcessFailures,
  wrongValue,
  type RawRequest,
  type Table,
} from './fixtures/fuzz-kit';

/**
 * Property-based bad input on every resource (Accounts, WebhookSecret, ApiKeys, Applications,
 * PhoneNumbers): malformed and mistyped bodies, hostile strings, wrong content types and methods,
 * bad path and query parameters. A creation either answers 201 and stores exactly one row, or a
 * 4xx JSON {msg} and stores nothing; an update or a read answers 200 or a 4xx {msg}; never a 5xx.
 */

/** Tables only requests write to (attempts and events also grow in the background). */
const TABLES: readonly Table[] = [
  'accounts',
  'api_keys',
  'applications',
  'phone_numbers',
  'messages',
  'webhook_deliveries',
];

interface Route {
  method: 'POST' | 'PUT' | 'GET' | 'DELETE';
  /** Builds the path from a sid (for routes with one). */
  path: (sid: string) => string;
  /** The table a 201 adds one row to. */
  creates?: Table;
  /** A body that the route accepts. */
  valid?: () => Record<string, unknown>;
}

describe('fuzz: resources', () => {
  const application = new HttpStub();
  let gw: TestApp;
  let db: DataSource;
  let tenant: Tenant;
  let other: Tenant;
  /** Resources of `tenant` the update properties may change freely. */
  let spare: { applicationSid: string; numberSid: string };
  const watch = watchProcessFailures();
  let serial = 0;
  /** A number no property has used yet, so that a valid creation is not a duplicate. */
  const freshNumber = (): string => `1508${String(5_000_000 + (serial += 1)).padStart(7, '0')}`;

  beforeAll(async () => {
    await application.start();
    gw = await createTestApp({
      env: { JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }) },
    });
    db = gw.app.get(DataSource);
    tenant = await createTenant(gw.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: ['15085710838'],
    });
    other = await createTenant(gw.baseUrl, {
      hookUrl: `${application.url}/other`,
      numbers: ['15085710839'],
    });
    const app = await api(gw.baseUrl, 'POST', '/v1/Applications', {
      name: 'spare',
      account_sid: tenant.accountSid,
      messaging_hook: { url: `${application.url}/spare` },
    });
    const number = await api(gw.baseUrl, 'POST', '/v1/PhoneNumbers', {
      number: '15085710840',
      account_sid: tenant.accountSid,
    });
    expect([app.status, number.status]).toEqual([201, 201]);
    spare = { applicationSid: app.body.sid, numberSid: number.body.sid };
  });

  afterAll(async () => {
    watch.stop();
    await gw.close();
    await application.stop();
  });

  afterEach(async () => {
    const health = await api(gw.baseUrl, 'GET', '/health', undefined, null);
    expect(health.status).toBe(200);
    expect(watch.failures).toEqual([]);
    expect(prototypePollution()).toEqual([]);
  });

  const routes = (): Record<string, Route> => ({
    'POST /v1/Accounts': {
      method: 'POST',
      path: () => '/v1/Accounts',
      creates: 'accounts',
      valid: () => ({ name: 'Acme', webhook_secret: 'whsec-0123456789' }),
    },
    'PUT /v1/Accounts/{sid}': {
      method: 'PUT',
      path: (sid) => `/v1/Accounts/${sid}`,
      valid: () => ({ name: 'Acme renamed' }),
    },
    'POST /v1/ApiKeys': {
      method: 'POST',
      path: () => '/v1/ApiKeys',
      creates: 'api_keys',
      valid: () => ({ account_sid: tenant.accountSid }),
    },
    'POST /v1/Applications': {
      method: 'POST',
      path: () => '/v1/Applications',
      creates: 'applications',
      valid: () => ({
        name: 'fuzzed',
        account_sid: tenant.accountSid,
        messaging_hook: {
          url: `${application.url}/fuzzed`,
          method: 'POST',
          username: 'hook-user',
          password: 'hook-pass',
        },
      }),
    },
    'PUT /v1/Applications/{sid}': {
      method: 'PUT',
      path: (sid) => `/v1/Applications/${sid}`,
      valid: () => ({
        name: 'renamed',
        account_sid: tenant.accountSid,
        messaging_hook: {
          url: `${application.url}/renamed`,
          method: 'GET',
          username: 'u',
          password: 'p',
        },
      }),
    },
    'POST /v1/PhoneNumbers': {
      method: 'POST',
      path: () => '/v1/PhoneNumbers',
      creates: 'phone_numbers',
      valid: () => ({
        number: freshNumber(),
        account_sid: tenant.accountSid,
        application_sid: tenant.applicationSid,
      }),
    },
    'PUT /v1/PhoneNumbers/{sid}': {
      method: 'PUT',
      path: (sid) => `/v1/PhoneNumbers/${sid}`,
      valid: () => ({ number: freshNumber(), application_sid: spare.applicationSid }),
    },
  });

  /** The sid a PUT route changes: resources of `tenant` kept for this. */
  const targetOf = (name: string): string =>
    name.startsWith('PUT /v1/Accounts')
      ? tenant.accountSid
      : name.startsWith('PUT /v1/Applications')
        ? spare.applicationSid
        : spare.numberSid;

  const token = fc.constantFrom<string>(ADMIN_KEY, 'tenant');
  const tokenOf = (t: string): string => (t === 'tenant' ? tenant.apiKey : ADMIN_KEY);

  /** Sends and checks: 201 stores one row of the route's table; anything else stores nothing. */
  async function check(route: Route, req: RawRequest): Promise<void> {
    const before = await countRows(db, TABLES);
    const answer = await rawRequest(gw.baseUrl, req);
    assertNoServerError(answer, req);
    const after = await countRows(db, TABLES);
    if (answer.status === 201 && route.creates) {
      expect(after).toEqual({ ...before, [route.creates]: (before[route.creates] ?? 0) + 1 });
    } else {
      if (answer.status >= 300) assertRefusal(answer, req);
      expect({ req: req.path, counts: after }).toEqual({ req: req.path, counts: before });
    }
  }

  const bodyRoutes = Object.keys(routes());

  it.each(bodyRoutes)(
    '%s: mutated bodies (missing, mistyped, extra fields) are stored whole or refused with a 4xx',
    async (name) => {
      const route = routes()[name]!;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(mutated(route.valid!()), oneFieldWrong(route.valid!())),
          token,
          async (body, t) => {
            await check(route, {
              method: route.method,
              path: route.path(targetOf(name)),
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${tokenOf(t)}`,
              },
              body: JSON.stringify(body),
            });
          },
        ),
        fuzzParams(100),
      );
    },
    60_000,
  );

  it.each(bodyRoutes)(
    '%s: garbage bodies and content types are refused with a 4xx {msg}',
    async (name) => {
      const route = routes()[name]!;
      await fc.assert(
        fc.asyncProperty(garbageBody, garbageHeaders, token, async (body, headers, t) => {
          await check(route, {
            method: route.method,
            path: route.path(targetOf(name)),
            headers: { ...headers, authorization: `Bearer ${tokenOf(t)}` },
            body,
          });
        }),
        fuzzParams(60),
      );
    },
    60_000,
  );

  it.each(bodyRoutes)(
    '%s: bodies nested thousands of levels deep are a 400 {msg}',
    async (name) => {
      const route = routes()[name]!;
      for (const body of deepJson(5000)) {
        const req: RawRequest = {
          method: route.method,
          path: route.path(targetOf(name)),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body,
        };
        const answer = await rawRequest(gw.baseUrl, req);
        assertRefusal(answer, req);
        expect(answer.status).toBe(400);
      }
    },
  );

  it('the valid bodies used above are accepted, so the properties reach the storing code', async () => {
    for (const [name, route] of Object.entries(routes())) {
      const res = await api(gw.baseUrl, route.method, route.path(targetOf(name)), route.valid!());
      expect({ name, status: res.status }).toEqual({
        name,
        status: route.creates ? 201 : 200,
      });
    }
  });

  const sidRoutes: Array<{ method: string; path: (sid: string) => string }> = [
    { method: 'GET', path: (s) => `/v1/Accounts/${s}` },
    { method: 'PUT', path: (s) => `/v1/Accounts/${s}` },
    { method: 'DELETE', path: (s) => `/v1/Accounts/${s}` },
    { method: 'GET', path: (s) => `/v1/Accounts/${s}/WebhookSecret` },
    { method: 'DELETE', path: (s) => `/v1/ApiKeys/${s}` },
    { method: 'GET', path: (s) => `/v1/Applications/${s}` },
    { method: 'PUT', path: (s) => `/v1/Applications/${s}` },
    { method: 'DELETE', path: (s) => `/v1/Applications/${s}` },
    { method: 'GET', path: (s) => `/v1/PhoneNumbers/${s}` },
    { method: 'PUT', path: (s) => `/v1/PhoneNumbers/${s}` },
    { method: 'DELETE', path: (s) => `/v1/PhoneNumbers/${s}` },
    { method: 'GET', path: (s) => `/v1/Accounts/${s}/Messages` },
    { method: 'POST', path: (s) => `/v1/Accounts/${s}/Messages` },
  ];

  it('bad and unknown sids in paths get a 4xx {msg} on every route, and change nothing', async () => {
    const before = await countRows(db, TABLES);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sidRoutes),
        fc.oneof(
          badPathParam,
          fc.uuid().map((u) => u),
          fc.uuid().map((u) => u.toUpperCase()),
        ),
        token,
        async (route, sid, t) => {
          const req: RawRequest = {
            method: route.method,
            path: route.path(sid),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(t)}` },
            ...(route.method === 'PUT' || route.method === 'POST'
              ? {
                  body: JSON.stringify({
                    name: 'x',
                    number: '15085710899',
                    from: '15085710838',
                    to: '15083084809',
                    text: 'x',
                  }),
                }
              : {}),
          };
          assertRefusal(await rawRequest(gw.baseUrl, req), req);
        },
      ),
      fuzzParams(200),
    );
    expect(await countRows(db, TABLES)).toEqual(before);
  }, 60_000);

  it('methods a route does not have get a 4xx {msg}, and change nothing', async () => {
    const paths: Array<{ path: string; allowed: string[] }> = [
      { path: '/v1/Accounts', allowed: ['GET', 'POST'] },
      { path: `/v1/Accounts/${other.accountSid}`, allowed: ['GET', 'PUT', 'DELETE'] },
      { path: `/v1/Accounts/${other.accountSid}/WebhookSecret`, allowed: ['GET'] },
      { path: '/v1/ApiKeys', allowed: ['GET', 'POST'] },
      { path: `/v1/ApiKeys/${tenant.accountSid}`, allowed: ['DELETE'] },
      { path: '/v1/Applications', allowed: ['GET', 'POST'] },
      { path: `/v1/Applications/${other.applicationSid}`, allowed: ['GET', 'PUT', 'DELETE'] },
      { path: '/v1/PhoneNumbers', allowed: ['GET', 'POST'] },
      { path: '/v1/MessagingProviders', allowed: ['GET'] },
      { path: `/v1/Accounts/${other.accountSid}/Messages`, allowed: ['GET', 'POST'] },
      { path: '/health', allowed: ['GET'] },
    ];
    const before = await countRows(db, TABLES);
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...paths)
          .chain((p) => fc.tuple(fc.constant(p.path), otherMethod(p.allowed))),
        token,
        async ([path, method], t) => {
          const req: RawRequest = {
            method,
            path,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(t)}` },
            body: '{"name":"x"}',
          };
          assertRefusal(await rawRequest(gw.baseUrl, req), req);
        },
      ),
      fuzzParams(120),
    );
    expect(await countRows(db, TABLES)).toEqual(before);
  }, 60_000);

  it('query parameters of the lists and of WebhookSecret: 200 or a 4xx {msg}', async () => {
    const queryValue = fc.oneof(
      nastyString.filter((s) => s.length < 1500),
      fc.uuid(),
      fc.constant(tenant.accountSid),
      wrongValue.map((v) => JSON.stringify(v) ?? ''),
    );
    const queryPaths = [
      ['/v1/Applications', ['account_sid']],
      ['/v1/PhoneNumbers', ['account_sid', 'application_sid']],
      ['/v1/ApiKeys', ['account_sid']],
      ['/v1/Accounts', ['account_sid']],
      [`/v1/Accounts/${tenant.accountSid}/WebhookSecret`, ['regenerate']],
    ] as const;
    const before = await countRows(db, TABLES);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...queryPaths),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                'account_sid',
                'application_sid',
                'regenerate',
                'x',
                'account_sid[]',
                'account_sid[$ne]',
              ),
              nastyString.filter((s) => s.length < 100),
            ),
            queryValue,
          ),
          { maxLength: 3 },
        ),
        token,
        async ([path], pairs, t) => {
          const query = new URLSearchParams(
            pairs.map(([k, v]): [string, string] => [
              k.replace(/[\uD800-\uDFFF]/g, ''),
              v.replace(/[\uD800-\uDFFF]/g, ''),
            ]),
          ).toString();
          const req: RawRequest = {
            method: 'GET',
            path: `${path}?${query}`,
            headers: { authorization: `Bearer ${tokenOf(t)}` },
          };
          const answer = await rawRequest(gw.baseUrl, req);
          assertNoServerError(answer, req);
          if (answer.status !== 200) assertRefusal(answer, req);
        },
      ),
      fuzzParams(150),
    );
    expect(await countRows(db, TABLES)).toEqual(before);
  }, 60_000);
});
