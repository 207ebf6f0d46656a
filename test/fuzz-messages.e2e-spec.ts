import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant, type Tenant } from './utils/api';
import { HttpStub, json } from './utils/http-stub';
import {
  assertNoServerError,
  assertRefusal,
  badPathParam,
  countRows,
  fuzzParams,
  garbageBody,
  garbageHeaders,
  mutated,
  nastyString,
  prototypePollution,
  oneFieldWrong,
  rawRequest,
  watchProcessFailures,
  wrongValue,
  type RawRequest,
  type Table,
} from './fixtures/fuzz-kit';

/**
 * Property-based bad input on the Messages API. A send answers 201 and stores exactly one message
 * (and one delivery when it has a status hook), or a 4xx JSON {msg} and stores nothing; the
 * providers here always succeed, so a 5xx can only be the gateway's own failure. The log answers
 * 200 or a 4xx {msg}.
 */

const TABLES: readonly Table[] = [
  'accounts',
  'api_keys',
  'applications',
  'phone_numbers',
  'messages',
  'webhook_deliveries',
];

describe('fuzz: /v1/Accounts/{sid}/Messages', () => {
  const provider = new HttpStub();
  const application = new HttpStub();
  let gw: TestApp;
  let db: DataSource;
  let tenant: Tenant;
  const watch = watchProcessFailures();

  beforeAll(async () => {
    await Promise.all([provider.start(), application.start()]);
    provider.handler = (_req, res) => json(res, 200, { id: 'provider-id-1' });
    gw = await createTestApp({
      env: {
        JAMBONES_MESSAGING: JSON.stringify({
          sandbox: { module: 'sandbox' },
          peerless: {
            module: 'peerless',
            options: { url: `${provider.url}/send`, auth: { username: 'pu', password: 'pp' } },
          },
        }),
      },
    });
    db = gw.app.get(DataSource);
    tenant = await createTenant(gw.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: ['15085710838'],
    });
  });

  afterAll(async () => {
    watch.stop();
    await gw.close();
    await Promise.all([provider.stop(), application.stop()]);
  });

  afterEach(async () => {
    const health = await api(gw.baseUrl, 'GET', '/health', undefined, null);
    expect(health.status).toBe(200);
    expect(watch.failures).toEqual([]);
    expect(prototypePollution()).toEqual([]);
  });

  const path = (): string => `/v1/Accounts/${tenant.accountSid}/Messages`;
  const token = fc.constantFrom<'admin' | 'tenant'>('admin', 'tenant');
  const tokenOf = (t: 'admin' | 'tenant'): string => (t === 'tenant' ? tenant.apiKey : ADMIN_KEY);

  const valid = (): Record<string, unknown> => ({
    from: '15085710838',
    to: '+1 (508) 308-4809',
    text: 'hello there',
    media: ['https://example.com/a.jpg'],
    provider: 'peerless',
    status_hook: { url: `${application.url}/status`, method: 'POST' },
  });

  /** Idempotency-Key values, as a header can carry them. */
  const idempotencyKey = fc.option(
    fc.oneof(
      fc.constantFrom('key-1', 'key-2', '', ' ', 'x'.repeat(300)),
      nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 400)),
    ),
    { nil: undefined },
  );

  /** Sends and checks what was stored against the answer. */
  async function checkSend(req: RawRequest, hasStatusHook: boolean): Promise<void> {
    const before = await countRows(db, TABLES);
    const answer = await rawRequest(gw.baseUrl, req);
    assertNoServerError(answer, req);
    const after = await countRows(db, TABLES);
    if (answer.status === 201) {
      const sid = (answer.json as { sid?: unknown }).sid;
      expect(typeof sid).toBe('string');
      const replayed = (before.messages ?? 0) === (after.messages ?? 0);
      if (!replayed) {
        expect(after).toEqual({
          ...before,
          messages: (before.messages ?? 0) + 1,
          webhook_deliveries: (before.webhook_deliveries ?? 0) + (hasStatusHook ? 1 : 0),
        });
      } else {
        // Only an Idempotency-Key replay answers 201 without storing.
        expect(req.headers?.['idempotency-key']).toBeDefined();
        expect(after).toEqual(before);
      }
    } else {
      assertRefusal(answer, req);
      expect({ req: req.path, counts: after }).toEqual({ req: req.path, counts: before });
    }
  }

  it('mutated bodies (missing, mistyped, extra fields, hostile strings): 201 stored, or a 4xx that stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated(valid()), oneFieldWrong(valid())),
        token,
        idempotencyKey,
        async (body, t, key) => {
          await checkSend(
            {
              method: 'POST',
              path: path(),
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${tokenOf(t)}`,
                ...(key !== undefined ? { 'idempotency-key': key } : {}),
              },
              body: JSON.stringify(body),
            },
            body.status_hook !== undefined && body.status_hook !== null,
          );
        },
      ),
      {
        ...fuzzParams<[Record<string, unknown>, 'admin' | 'tenant', string | undefined]>(200),
        // Found by this property once: null for an optional field reached the code as a value.
        examples: (['status_hook', 'provider', 'carrier', 'media', 'text'] as const).map(
          (field): [Record<string, unknown>, 'admin', undefined] => [
            { ...valid(), [field]: null },
            'admin',
            undefined,
          ],
        ),
      },
    );
  }, 60_000);

  it('numbers, texts and media of every kind: 201 stored, or a 4xx that stores nothing', async () => {
    const number = fc.oneof(
      nastyString,
      fc.constantFrom(
        '15085710838',
        '+15083084809',
        '5083084809',
        '0015083084809',
        '+44 20 7946 0958',
        '911',
        '1',
        '+',
        '+0',
        '0'.repeat(16),
      ),
      fc.stringMatching(/^\+?[0-9 ()\-.]{1,30}$/),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            from: fc.oneof(fc.constant('15085710838'), number),
            to: number,
            text: fc.oneof(nastyString, fc.string({ unit: 'grapheme', maxLength: 2000 })),
            media: fc.oneof(
              fc.webUrl(),
              fc.array(fc.oneof(fc.webUrl(), nastyString), { maxLength: 12 }),
              wrongValue,
            ),
            provider: fc.constantFrom('sandbox', 'peerless'),
          },
          { requiredKeys: ['from', 'to'] },
        ),
        token,
        async (body, t) => {
          await checkSend(
            {
              method: 'POST',
              path: path(),
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${tokenOf(t)}`,
              },
              body: JSON.stringify(body),
            },
            false,
          );
        },
      ),
      fuzzParams(200),
    );
  }, 60_000);

  it('garbage bodies and content types are refused with a 4xx {msg}', async () => {
    await fc.assert(
      fc.asyncProperty(garbageBody, garbageHeaders, token, async (body, headers, t) => {
        await checkSend(
          {
            method: 'POST',
            path: path(),
            headers: { ...headers, authorization: `Bearer ${tokenOf(t)}` },
            body,
          },
          false,
        );
      }),
      fuzzParams(100),
    );
  }, 60_000);

  it('the valid body used above is sent, so the properties reach the sending code', async () => {
    const res = await api(gw.baseUrl, 'POST', path(), valid());
    expect(res.status).toBe(201);
  });

  it('the message log: any query answers 200 or a 4xx {msg}', async () => {
    const value = fc.oneof(
      nastyString.filter((s) => s.length < 1500),
      fc.constantFrom(
        'inbound',
        'outbound',
        'sent',
        'failed',
        '0',
        '1',
        '200',
        '201',
        '-1',
        '1.5',
        '1e3',
        '2026-01-01T00:00:00Z',
        '2026-13-45T99:99:99Z',
        '0000-01-01T00:00:00Z',
        '+275760-09-13T00:00:00.000Z',
        'eyJjIjoieCIsInMiOiIxIn0',
        'eyJjIjoiMjAyNi0wMS0wMVQwMDowMDowMC4wMDBaIiwicyI6IicgT1IgMT0xIn0',
      ),
      fc.base64String({ maxLength: 200 }),
    );
    const key = fc.constantFrom(
      'limit',
      'cursor',
      'direction',
      'status',
      'number',
      'after',
      'before',
      'limit[]',
      'cursor[a]',
      'x',
    );
    const before = await countRows(db, TABLES);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, value), { maxLength: 4 }),
        token,
        async (pairs, t) => {
          const query = new URLSearchParams(
            pairs.map(([k, v]): [string, string] => [k, v.replace(/[\uD800-\uDFFF]/g, '')]),
          ).toString();
          const req: RawRequest = {
            method: 'GET',
            path: `${path()}?${query}`,
            headers: { authorization: `Bearer ${tokenOf(t)}` },
          };
          const answer = await rawRequest(gw.baseUrl, req);
          assertNoServerError(answer, req);
          if (answer.status !== 200) assertRefusal(answer, req);
        },
      ),
      fuzzParams(200),
    );
    expect(await countRows(db, TABLES)).toEqual(before);
  }, 60_000);

  it('one message: bad message sids get a 4xx {msg}', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(badPathParam, fc.uuid()), token, async (sid, t) => {
        const req: RawRequest = {
          method: 'GET',
          path: `${path()}/${sid}`,
          headers: { authorization: `Bearer ${tokenOf(t)}` },
        };
        assertRefusal(await rawRequest(gw.baseUrl, req), req);
      }),
      fuzzParams(100),
    );
  }, 60_000);
});
