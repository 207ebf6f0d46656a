import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant } from './utils/api';
import { HttpStub } from './utils/http-stub';
import {
  assertNoServerError,
  assertRefusal,
  countRows,
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
  type RawRequest,
} from './fixtures/fuzz-kit';
import { toForm } from './fixtures/form-encode';

/**
 * Property-based bad input on the provider webhook, for every built-in plug-in: whatever a
 * provider (or anyone) posts, the answer is a 200 that stored exactly one message, or a 4xx
 * JSON {msg} that stored nothing; never a 5xx, never a hang, and the gateway stays healthy.
 */

const TO = {
  peerless: '+17743008772',
  '382com': '3393646057',
  simwood: '15085710838',
  sandbox: '15551230000',
};

/** A valid inbound body of each provider, addressed to a provisioned number. */
const VALID: Record<keyof typeof TO, Record<string, unknown>> = {
  peerless: {
    from: '+15083084809',
    recipients: [TO.peerless],
    ccRecipients: [],
    text: 'Hi there!',
    mediaURL: null,
    contentId: null,
  },
  '382com': { source: '5083084809', destination: TO['382com'], type: 'sms', message: 'Hello' },
  simwood: {
    app: 'sms_inbound',
    id: '9a171a847f3238d8e3b33120d2a',
    data: {
      destination: TO.simwood,
      length: 8,
      message: 'Hi there',
      originator: '15083084809',
      time: '2020-10-06 20:36:05',
    },
  },
  sandbox: { from: '15083084809', to: TO.sandbox, text: 'hello', media: [] },
};

const PROVIDERS = Object.keys(VALID) as Array<keyof typeof VALID>;

/** A valid body with its fields (and, for simwood, the fields of `data`) mutated. */
function inboundBody(provider: keyof typeof VALID): fc.Arbitrary<Record<string, unknown>> {
  const valid = VALID[provider];
  if (provider !== 'simwood') return mutated(valid);
  const data = valid.data as Record<string, unknown>;
  return fc
    .tuple(mutated({ ...valid, data: undefined }), mutated(data), fc.boolean())
    .map(([outer, inner, keepData]) => (keepData ? { ...outer, data: inner } : outer));
}

describe('fuzz: POST /v1/messaging/{provider}', () => {
  const application = new HttpStub();
  const provider = new HttpStub();
  let gw: TestApp;
  let db: DataSource;
  const watch = watchProcessFailures();

  beforeAll(async () => {
    await Promise.all([application.start(), provider.start()]);
    const options = { url: `${provider.url}/send`, auth: { username: 'u', password: 'p' } };
    gw = await createTestApp({
      env: {
        JAMBONES_MESSAGING: JSON.stringify({
          peerless: { module: 'peerless', options },
          '382com': { module: '382com', options },
          simwood: { module: 'simwood', options },
          sandbox: { module: 'sandbox', options: {} },
        }),
      },
    });
    db = gw.app.get(DataSource);
    await createTenant(gw.baseUrl, {
      hookUrl: `${application.url}/sms`,
      numbers: Object.values(TO),
    });
  });

  afterAll(async () => {
    watch.stop();
    await gw.close();
    await Promise.all([application.stop(), provider.stop()]);
  });

  afterEach(async () => {
    const health = await api(gw.baseUrl, 'GET', '/health', undefined, null);
    expect(health.status).toBe(200);
    expect(watch.failures).toEqual([]);
    expect(prototypePollution()).toEqual([]);
  });

  /** Sends and checks: 200 stores one message and its delivery; a refusal stores nothing. */
  async function check(req: RawRequest): Promise<void> {
    const before = await countRows(db, ['messages', 'webhook_deliveries']);
    const answer = await rawRequest(gw.baseUrl, req);
    assertNoServerError(answer, req);
    const after = await countRows(db, ['messages', 'webhook_deliveries']);
    if (answer.status === 200) {
      expect(after).toEqual({
        messages: (before.messages ?? 0) + 1,
        webhook_deliveries: (before.webhook_deliveries ?? 0) + 1,
      });
    } else {
      assertRefusal(answer, req);
      expect(after).toEqual(before);
    }
  }

  it.each(PROVIDERS)(
    '%s: mutated payloads, as JSON and as a form, are stored and answered 200 or refused with a 4xx',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(inboundBody(name), fc.boolean(), async (body, asForm) => {
          await check({
            method: 'POST',
            path: `/v1/messaging/${name}`,
            headers: {
              'content-type': asForm ? 'application/x-www-form-urlencoded' : 'application/json',
            },
            body: asForm ? toForm(body) : JSON.stringify(body),
          });
        }),
        fuzzParams(150),
      );
    },
    60_000,
  );

  it.each(PROVIDERS)(
    '%s: a valid payload with one hostile field is stored and answered 200 or refused with a 4xx',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(oneFieldWrong(VALID[name]), fc.boolean(), async (body, asForm) => {
          await check({
            method: 'POST',
            path: `/v1/messaging/${name}`,
            headers: {
              'content-type': asForm ? 'application/x-www-form-urlencoded' : 'application/json',
            },
            body: asForm ? toForm(body) : JSON.stringify(body),
          });
        }),
        fuzzParams(150),
      );
    },
    60_000,
  );

  it.each(PROVIDERS)(
    '%s: garbage bodies and content types are refused with a 4xx {msg} (or read, when they happen to be a message)',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(garbageBody, garbageHeaders, async (body, headers) => {
          await check({ method: 'POST', path: `/v1/messaging/${name}`, headers, body });
        }),
        fuzzParams(120),
      );
    },
    60_000,
  );

  it('the valid payloads used above are accepted, so the properties reach the storing code', async () => {
    for (const name of PROVIDERS) {
      const before = await countRows(db, ['messages']);
      const res = await api(gw.baseUrl, 'POST', `/v1/messaging/${name}`, VALID[name], null);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect((await countRows(db, ['messages'])).messages).toBe((before.messages ?? 0) + 1);
    }
  });

  it('other methods and unknown providers get a 4xx {msg}', async () => {
    // Attempts and events of earlier deliveries still arrive in the background: not counted.
    const tables = [
      'accounts',
      'api_keys',
      'applications',
      'phone_numbers',
      'messages',
      'webhook_deliveries',
    ] as const;
    const before = await countRows(db, tables);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            method: otherMethod(['POST']),
            provider: fc.constantFrom(...PROVIDERS),
          }),
          fc.record({
            method: fc.constant('POST'),
            provider: nastyString
              .filter((s) => s !== '' && !(PROVIDERS as string[]).includes(s) && s.length < 3000)
              .map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
          }),
        ),
        async ({ method, provider: name }) => {
          const req: RawRequest = {
            method,
            path: `/v1/messaging/${name}`,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(VALID.peerless),
          };
          assertRefusal(await rawRequest(gw.baseUrl, req), req);
        },
      ),
      fuzzParams(120),
    );
    expect(await countRows(db, tables)).toEqual(before);
  }, 60_000);
});
