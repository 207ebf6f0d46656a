import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';
import { api, eventually } from './utils/api';
import { HttpStub, json, type RecordedRequest } from './utils/http-stub';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jambonz = require('@jambonz/node-client');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PEERLESS_PASS = 'peerless-secret-pass';
const COM382_PASS = 'c382-secret-pass';
const SIMWOOD_PASS = 'simwood-secret-pass';
const SECRETS = [PEERLESS_PASS, COM382_PASS, SIMWOOD_PASS];

interface Account {
  sid: string;
  apiKey: string;
  webhookSecret: string;
}

/** An account with an API key and provisioned numbers, made through the API as a user would. */
async function createAccount(baseUrl: string, numbers: string[] = []): Promise<Account> {
  const webhookSecret = `whsec-${Math.random().toString(36).slice(2)}`;
  const account = await api(baseUrl, 'POST', '/v1/Accounts', {
    name: 'messages test',
    webhook_secret: webhookSecret,
  });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${account.raw}`);
  const key = await api(baseUrl, 'POST', '/v1/ApiKeys', { account_sid: account.body.sid });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.raw}`);
  for (const number of numbers) {
    const n = await api(baseUrl, 'POST', '/v1/PhoneNumbers', {
      number,
      account_sid: account.body.sid,
    });
    if (n.status !== 201) throw new Error(`number ${number}: ${n.status} ${n.raw}`);
  }
  return { sid: account.body.sid, apiKey: key.body.token, webhookSecret };
}

/** A port nothing listens on: bound once by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const basicOf = (req: RecordedRequest): string =>
  Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();

/** @jambonz/node-client's own check of a signed POST; true when it accepts the request. */
function nodeClientAccepts(secret: string, req: RecordedRequest): boolean {
  const middleware = jambonz.WebhookResponse.verifyJambonzSignature(secret);
  let passed = false;
  try {
    middleware(
      { get: (name: string) => req.headers[name.toLowerCase()], body: req.json, url: req.url },
      {},
      () => {
        passed = true;
      },
    );
  } catch {
    return false;
  }
  return passed;
}

/** `t=<ts>,v1=hex(hmac_sha256(secret, t + '.' + body))` recomputed over the exact bytes received. */
function signatureMatches(secret: string, header: unknown, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`, 'utf8').digest('hex');
  return expected === m[2];
}

describe('POST /v1/Accounts/{sid}/Messages', () => {
  const peerless = new HttpStub();
  const com382 = new HttpStub();
  const simwood = new HttpStub();
  const hooks = new HttpStub();
  const stubs = [peerless, com382, simwood, hooks];
  let gw: TestApp;
  let a: Account;
  let b: Account;
  let deadPort: number;

  const send = (
    body: unknown,
    opts: { account?: Account; token?: string | null; headers?: Record<string, string> } = {},
  ) => {
    const account = opts.account ?? a;
    return api(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${account.sid}/Messages`,
      body,
      opts.token === undefined ? account.apiKey : opts.token,
      opts.headers,
    );
  };
  const getMessage = (sid: string, account: Account = a) =>
    api(
      gw.baseUrl,
      'GET',
      `/v1/Accounts/${account.sid}/Messages/${sid}`,
      undefined,
      account.apiKey,
    );
  const providerRequests = (): number =>
    peerless.requests.length + com382.requests.length + simwood.requests.length;

  beforeAll(async () => {
    await Promise.all(stubs.map((s) => s.start()));
    deadPort = await closedPort();
    gw = await createTestApp({
      env: {
        PROVIDER_TIMEOUT_MS: '800',
        JAMBONES_MESSAGING: JSON.stringify({
          peerless: {
            module: 'peerless',
            options: {
              url: `${peerless.url}/submit`,
              auth: { username: 'pu', password: PEERLESS_PASS },
            },
          },
          '382com': {
            module: '382com',
            options: {
              url: `${com382.url}/sendsms.cgi`,
              auth: { username: 'cu', password: COM382_PASS },
            },
          },
          simwood: {
            module: 'simwood',
            options: {
              url: `${simwood.url}/v3/messaging/ACC/sms`,
              auth: { username: 'su', password: SIMWOOD_PASS },
            },
          },
          deadend: {
            module: 'simwood',
            options: {
              url: `http://127.0.0.1:${deadPort}/sms`,
              auth: { username: 'du', password: 'dead-pass' },
            },
          },
        }),
      },
    });
    a = await createAccount(gw.baseUrl, ['13322060388']);
    b = await createAccount(gw.baseUrl, ['15085710838']);
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(stubs.map((s) => s.stop()));
  });

  beforeEach(() => {
    for (const stub of stubs) stub.requests.length = 0;
    peerless.handler = (_req, res) => json(res, 200, { id: 'pl-1', status: 'accepted' });
    com382.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK. Message Submitted Successfully');
    };
    simwood.handler = (_req, res) => json(res, 200, { id: 'sw-1' });
    hooks.handler = (_req, res) => json(res, 200, {});
  });

  describe('each provider gets its own wire format', () => {
    it('peerless: JSON with + numbers and Basic auth', async () => {
      const res = await send({
        from: '13322060388',
        to: '+1 (508) 308-4809',
        text: 'Hello from the gateway',
        provider: 'peerless',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        sid: expect.stringMatching(UUID),
        providerResponse: { id: 'pl-1', status: 'accepted' },
      });
      expect(peerless.requests).toHaveLength(1);
      const req = peerless.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/submit');
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      expect(basicOf(req)).toBe(`pu:${PEERLESS_PASS}`);
      expect(req.raw).toBe(
        '{"from":"+13322060388","recipients":["+15083084809"],"ccRecipients":[],"text":"Hello from the gateway"}',
      );

      const stored = await getMessage(res.body.sid);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({
        sid: res.body.sid,
        account_sid: a.sid,
        direction: 'outbound',
        provider: 'peerless',
        from: '13322060388',
        to: ['15083084809'],
        cc: [],
        text: 'Hello from the gateway',
        media: [],
        status: 'sent',
        failure_reason: null,
        provider_message_id: 'pl-1',
        provider_response: { id: 'pl-1', status: 'accepted' },
        parent_message_sid: null,
        encoding: 'GSM-7',
        segments: 1,
      });
      expect(stored.body.history.map((h: { status: string }) => h.status)).toEqual([
        'queued',
        'sent',
      ]);
    });

    it('382com: a GET whose query carries every character of the text intact', async () => {
      const text = 'Tom & Jerry #1 + 2=3? 100% ok';
      const res = await send({ from: '+13322060388', to: '15083084809', text, provider: '382com' });
      expect(res.status).toBe(201);
      expect(res.body.providerResponse).toEqual({
        responseText: 'OK. Message Submitted Successfully',
      });
      expect(com382.requests).toHaveLength(1);
      const req = com382.requests[0]!;
      expect(req.method).toBe('GET');
      expect(req.raw).toBe('');
      expect(req.url).toBe(
        `/sendsms.cgi?user=cu&pass=${COM382_PASS}&source=3322060388&destination=5083084809` +
          '&message=Tom%20%26%20Jerry%20%231%20%2B%202%3D3%3F%20100%25%20ok',
      );
      expect(req.query.get('message')).toBe(text);
    });

    it('simwood: JSON with Basic auth', async () => {
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'Hi there',
        provider: 'simwood',
      });
      expect(res.status).toBe(201);
      expect(res.body.providerResponse).toEqual({ id: 'sw-1' });
      const req = simwood.requests[0]!;
      expect(simwood.requests).toHaveLength(1);
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/v3/messaging/ACC/sms');
      expect(basicOf(req)).toBe(`su:${SIMWOOD_PASS}`);
      expect(req.raw).toBe(
        '{"from":"13322060388","to":"15083084809","cc":[],"message":"Hi there","media":[]}',
      );
    });

    it('uses the default (first) provider when none is named, and `carrier` like `provider`', async () => {
      const first = await send({ from: '13322060388', to: '15083084809', text: 'default' });
      expect(first.status).toBe(201);
      expect(peerless.requests).toHaveLength(1);
      const second = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'by carrier',
        carrier: 'simwood',
      });
      expect(second.status).toBe(201);
      expect(simwood.requests).toHaveLength(1);
      expect((await getMessage(second.body.sid)).body.provider).toBe('simwood');
    });

    it('sends MMS media: one URL or a list', async () => {
      const one = await send({
        from: '13322060388',
        to: '15083084809',
        media: 'https://example.com/a.jpg',
        provider: 'peerless',
      });
      expect(one.status).toBe(201);
      expect(peerless.requests[0]!.json).toEqual({
        from: '+13322060388',
        recipients: ['+15083084809'],
        ccRecipients: [],
        text: '',
        mediaURL: 'https://example.com/a.jpg',
      });
      const list = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'look',
        media: ['https://example.com/a.jpg', 'https://example.com/b.png'],
        provider: 'simwood',
      });
      expect(list.status).toBe(201);
      expect(simwood.requests[0]!.json).toMatchObject({
        message: 'look',
        media: ['https://example.com/a.jpg', 'https://example.com/b.png'],
      });
      expect((await getMessage(list.body.sid)).body.media).toEqual([
        'https://example.com/a.jpg',
        'https://example.com/b.png',
      ]);
    });
  });

  it('answers the seed document curl example with 201 {sid, providerResponse}', async () => {
    peerless.handler = (_req, res) =>
      json(res, 200, { responseText: 'OK. Message Submitted Successfully' });
    const res = await fetch(`${gw.baseUrl}/v1/Accounts/${a.sid}/Messages`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        Authorization: `Bearer ${a.apiKey}`,
        'Content-Type': 'application/json',
      },
      body: '{"from":"13322060388","to":"+15083084809","provider":"peerless","text":"please call when you can"}',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      sid: expect.stringMatching(UUID),
      providerResponse: { responseText: 'OK. Message Submitted Successfully' },
    });
    expect(peerless.requests[0]!.json).toEqual({
      from: '+13322060388',
      recipients: ['+15083084809'],
      ccRecipients: [],
      text: 'please call when you can',
    });
  });

  it('works with @jambonz/node-client: client.messages.create resolves to the sid', async () => {
    const client = jambonz(a.sid, a.apiKey, { baseUrl: gw.baseUrl });
    const sid: unknown = await client.messages.create({
      from: '13322060388',
      to: '15083084809',
      text: 'sent by node-client',
      provider: 'simwood',
    });
    expect(sid).toEqual(expect.stringMatching(UUID));
    expect(simwood.requests).toHaveLength(1);
    expect(simwood.requests[0]!.json).toMatchObject({ message: 'sent by node-client' });
    const stored = await getMessage(sid as string);
    expect(stored.body).toMatchObject({
      status: 'sent',
      provider: 'simwood',
      text: 'sent by node-client',
    });
  });

  describe('refusals: nothing is sent, nothing is stored', () => {
    const good = { from: '13322060388', to: '15083084809', text: 'hi' };
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['missing from', { to: '15083084809', text: 'hi' }, 400, /\bfrom\b/],
      ['missing to', { from: '13322060388', text: 'hi' }, 400, /\bto\b/],
      ['from not a string', { ...good, from: 13322060388 }, 400, /\bfrom\b/],
      ['neither text nor media', { from: '13322060388', to: '15083084809' }, 400, /text or media/],
      ['empty text and no media', { ...good, text: '' }, 400, /text or media/],
      ['text not a string', { ...good, text: 42 }, 400, /text must be a string/],
      ['text with a NUL character', { ...good, text: 'a\u0000b' }, 400, /NUL/],
      ['text with an unpaired surrogate', { ...good, text: 'a\ud800b' }, 400, /surrogate/],
      ['media not a URL', { ...good, media: 'picture.jpg' }, 400, /\bmedia\b/],
      [
        'media list with a non-URL',
        { ...good, media: ['https://example.com/a.jpg', 7] },
        400,
        /\bmedia\b/,
      ],
      ['media an ftp URL', { ...good, media: 'ftp://example.com/a.jpg' }, 400, /\bmedia\b/],
      ['status_hook not a URL', { ...good, status_hook: 'somewhere' }, 400, /status_hook/],
      [
        'status_hook with a bad method',
        { ...good, status_hook: { url: 'http://example.com/s', method: 'PUT' } },
        400,
        /status_hook/,
      ],
      [
        'status_hook with an unknown key',
        { ...good, status_hook: { url: 'http://example.com/s', secret: 'x' } },
        400,
        /status_hook/,
      ],
      ['an unknown field', { ...good, priority: 'high' }, 400, /priority/],
      ['to not a phone number', { ...good, to: 'call me' }, 400, /"to" is not a phone number/],
      ['from not a phone number', { ...good, from: '+' }, 400, /"from" is not a phone number/],
      ['an unknown provider', { ...good, provider: 'nosuch' }, 400, /unknown provider "nosuch"/],
      [
        'provider and carrier disagreeing',
        { ...good, provider: 'peerless', carrier: 'simwood' },
        400,
        /provider and carrier/,
      ],
      [
        'a from number of another account',
        { ...good, from: '+15085710838' },
        403,
        /another account/,
      ],
    ];

    it.each(cases)('%s', async (_name, body, status, msg) => {
      const before = await api(
        gw.baseUrl,
        'GET',
        `/v1/Accounts/${a.sid}/Messages?limit=200`,
        undefined,
        a.apiKey,
      );
      const res = await send(body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ msg: expect.stringMatching(msg) });
      expect(providerRequests()).toBe(0);
      const after = await api(
        gw.baseUrl,
        'GET',
        `/v1/Accounts/${a.sid}/Messages?limit=200`,
        undefined,
        a.apiKey,
      );
      expect(after.body.data).toHaveLength(before.body.data.length);
    });

    it('a body that is not JSON: 400', async () => {
      const res = await send('{"from": ', {});
      expect(res.status).toBe(400);
      expect(res.body.msg).toMatch(/JSON/);
    });

    it('a malformed account sid: 400; an unknown account: 404', async () => {
      const bad = await api(gw.baseUrl, 'POST', '/v1/Accounts/not-a-sid/Messages', good);
      expect(bad.status).toBe(400);
      expect(bad.body.msg).toMatch(/accountSid/);
      const unknown = await api(
        gw.baseUrl,
        'POST',
        '/v1/Accounts/0b6a5a53-1d2b-4c53-9d3c-6f1d2d6e7f80/Messages',
        good,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.msg).toMatch(/not found/);
      expect(providerRequests()).toBe(0);
    });

    it('an account deleted just after a send: the next send is 404 at once', async () => {
      const gone = await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'short-lived' });
      const path = `/v1/Accounts/${gone.body.sid}/Messages`;
      const unowned = { ...good, from: '+15085550177' };
      expect((await api(gw.baseUrl, 'POST', path, unowned)).status).toBe(201);
      expect((await api(gw.baseUrl, 'DELETE', `/v1/Accounts/${gone.body.sid}`)).status).toBe(204);
      const after = await api(gw.baseUrl, 'POST', path, unowned);
      expect(after.status).toBe(404);
      expect(after.body.msg).toMatch(/not found/);
    });

    it("an account key on another account's path: 403; no key: 401", async () => {
      const other = await send(good, { account: b, token: a.apiKey });
      expect(other.status).toBe(403);
      expect(other.body.msg).toEqual(expect.any(String));
      const none = await send(good, { token: null });
      expect(none.status).toBe(401);
      const wrong = await send(good, { token: 'not-a-key' });
      expect(wrong.status).toBe(401);
      expect(providerRequests()).toBe(0);
    });

    it('the admin key may send for any account', async () => {
      const res = await send(good, { token: ADMIN_KEY });
      expect(res.status).toBe(201);
      expect((await getMessage(res.body.sid)).body.account_sid).toBe(a.sid);
    });

    it('a malformed Idempotency-Key: 400', async () => {
      const res = await send(good, { headers: { 'Idempotency-Key': 'x'.repeat(300) } });
      expect(res.status).toBe(400);
      expect(res.body.msg).toMatch(/Idempotency-Key/);
      expect(providerRequests()).toBe(0);
    });
  });

  describe('Unicode and long texts', () => {
    const cases: Array<[string, string, 'GSM-7' | 'UCS-2', number]> = [
      ['400 GSM-7 characters', '0123456789'.repeat(40), 'GSM-7', 3],
      ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 1],
      ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 2],
      ['GSM-7 extension characters count twice', '€'.repeat(81), 'GSM-7', 2],
      ['emoji', 'Hello 👋🏽 see you 🎉', 'UCS-2', 1],
      ['Arabic', 'مرحبا، كيف حالك؟', 'UCS-2', 1],
      ['70 UCS-2 characters', 'م'.repeat(70), 'UCS-2', 1],
      ['71 UCS-2 characters', 'م'.repeat(71), 'UCS-2', 2],
      ['36 emoji are 72 UCS-2 code units', '😀'.repeat(36), 'UCS-2', 2],
      ['400 characters with one emoji', `${'a'.repeat(399)}😀`, 'UCS-2', 6],
    ];

    it.each(cases)(
      '%s: stored with the right encoding and segments, delivered intact',
      async (_name, text, encoding, segments) => {
        const res = await send({
          from: '13322060388',
          to: '15083084809',
          text,
          provider: 'peerless',
        });
        expect(res.status).toBe(201);
        expect((peerless.requests[0]!.json as { text: string }).text).toBe(text);
        expect(peerless.requests[0]!.raw).toContain(JSON.stringify(text));
        const stored = await getMessage(res.body.sid);
        expect(stored.body).toMatchObject({ text, encoding, segments });
      },
    );

    it('Unicode reaches 382com percent-encoded as UTF-8 and simwood as JSON', async () => {
      const text = 'سلام 👋 & bye';
      expect(
        (await send({ from: '13322060388', to: '15083084809', text, provider: '382com' })).status,
      ).toBe(201);
      expect(com382.requests[0]!.query.get('message')).toBe(text);
      expect(com382.requests[0]!.url).toContain(`&message=${encodeURIComponent(text)}`);
      expect(
        (await send({ from: '13322060388', to: '15083084809', text, provider: 'simwood' })).status,
      ).toBe(201);
      expect((simwood.requests[0]!.json as { message: string }).message).toBe(text);
    });
  });

  describe('Idempotency-Key', () => {
    const body = {
      from: '13322060388',
      to: '15083084809',
      text: 'only once',
      provider: 'peerless',
    };

    it('replays the first 201 for the same key and body and sends nothing more', async () => {
      const headers = { 'Idempotency-Key': 'order-1001' };
      const first = await send(body, { headers });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      // The same body with its keys in another order is the same request.
      const again = await send(
        { provider: 'peerless', text: 'only once', to: '15083084809', from: '13322060388' },
        { headers },
      );
      expect(again.status).toBe(201);
      expect(again.raw).toBe(first.raw);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(peerless.requests).toHaveLength(1);
    });

    it('refuses the same key with another body: 422, nothing sent', async () => {
      const headers = { 'Idempotency-Key': 'order-1002' };
      expect((await send(body, { headers })).status).toBe(201);
      const other = await send({ ...body, text: 'something else' }, { headers });
      expect(other.status).toBe(422);
      expect(other.body.msg).toMatch(/Idempotency-Key/);
      expect(peerless.requests).toHaveLength(1);
    });

    it('keys belong to one account', async () => {
      const headers = { 'Idempotency-Key': 'order-1003' };
      const mine = await send(body, { headers });
      const theirs = await send({ ...body, from: '15085710838' }, { account: b, headers });
      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.body.sid).not.toBe(mine.body.sid);
      expect(peerless.requests).toHaveLength(2);
    });

    it('replays a 502 as a 502', async () => {
      peerless.handler = (_req, res) => json(res, 500, { error: 'upstream down' });
      const headers = { 'Idempotency-Key': 'order-1004' };
      const first = await send(body, { headers });
      expect(first.status).toBe(502);
      peerless.handler = (_req, res) => json(res, 200, { id: 'pl-2' });
      const again = await send(body, { headers });
      expect(again.status).toBe(502);
      expect(again.raw).toBe(first.raw);
      expect(peerless.requests).toHaveLength(1);
    });

    it('frees the key after 24 hours', async () => {
      const headers = { 'Idempotency-Key': 'order-1005' };
      const first = await send(body, { headers });
      expect(first.status).toBe(201);
      const dayAgo = new Date(Date.now() - 24 * 3600 * 1000 - 60_000).toISOString();
      await gw.app
        .get(DataSource)
        .query(
          `UPDATE messages SET created_at = ${gw.db.engine === 'postgres' ? '$1 WHERE sid = $2' : '? WHERE sid = ?'}`,
          [dayAgo, first.body.sid],
        );
      const later = await send(body, { headers });
      expect(later.status).toBe(201);
      expect(later.body.sid).not.toBe(first.body.sid);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(peerless.requests).toHaveLength(2);
      // The earlier message stays in the log; only its key was released.
      expect((await getMessage(first.body.sid)).status).toBe(200);
      const replay = await send(body, { headers });
      expect(replay.raw).toBe(later.raw);
      expect(peerless.requests).toHaveLength(2);
    });

    it('answers concurrent duplicates like replays: one send, one sid', async () => {
      peerless.handler = (_req, res) => {
        setTimeout(() => json(res, 200, { id: 'pl-slow' }), 300);
      };
      const headers = { 'Idempotency-Key': 'order-1006' };
      const answers = await Promise.all(Array.from({ length: 5 }, () => send(body, { headers })));
      expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((r) => r.raw)).size).toBe(1);
      expect(peerless.requests).toHaveLength(1);
    });
  });

  describe('status_hook', () => {
    it('POSTs the outcome, signed with the account webhook secret', async () => {
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'tell me how it went',
        provider: 'peerless',
        status_hook: { url: `${hooks.url}/sms/status`, method: 'POST' },
      });
      expect(res.status).toBe(201);
      await hooks.waitFor(1);
      const req = hooks.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/sms/status');
      expect(req.json).toEqual({
        message_sid: res.body.sid,
        message_status: 'success',
        carrier: 'peerless',
        carrier_message_id: 'pl-1',
      });
      expect(nodeClientAccepts(a.webhookSecret, req)).toBe(true);
      expect(nodeClientAccepts('another-secret', req)).toBe(false);
      expect(signatureMatches(a.webhookSecret, req.headers['jambonz-signature'], req.raw)).toBe(
        true,
      );
      const detail = await eventually(async () => {
        const m = await getMessage(res.body.sid);
        return m.body.delivery_attempts.length > 0 ? m.body : undefined;
      });
      expect(detail.delivery_attempts).toEqual([
        expect.objectContaining({
          kind: 'status_hook',
          url: `${hooks.url}/sms/status`,
          method: 'POST',
          attempt: 1,
          status_code: 200,
          error: null,
        }),
      ]);
    });

    it('tells a GET hook about a failure, signed over the empty body', async () => {
      peerless.handler = (_req, res) => json(res, 503, { error: 'busy' });
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'this one fails',
        provider: 'peerless',
        status_hook: { url: `${hooks.url}/sms/status?app=1`, method: 'GET' },
      });
      expect(res.status).toBe(502);
      await hooks.waitFor(1);
      const req = hooks.requests[0]!;
      expect(req.method).toBe('GET');
      expect(req.query.get('app')).toBe('1');
      expect(req.query.get('message_sid')).toBe(res.body.sid);
      expect(req.query.get('message_status')).toBe('failure');
      expect(req.query.get('message_failure_reason')).toMatch(/HTTP 503/);
      expect(req.query.get('carrier')).toBe('peerless');
      expect(signatureMatches(a.webhookSecret, req.headers['jambonz-signature'], '')).toBe(true);
    });

    it('a plain URL is a POST hook', async () => {
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'x',
        status_hook: `${hooks.url}/plain`,
      });
      expect(res.status).toBe(201);
      await hooks.waitFor(1);
      expect(hooks.requests[0]!.method).toBe('POST');
      expect(hooks.requests[0]!.json).toMatchObject({
        message_sid: res.body.sid,
        message_status: 'success',
      });
    });
  });

  describe('the provider failing: 502 and a failed message', () => {
    const expectFailed = async (
      res: { status: number; body: any; raw: string },
      reason: RegExp,
    ) => {
      expect(res.status).toBe(502);
      expect(res.body).toEqual(
        expect.objectContaining({
          sid: expect.stringMatching(UUID),
          msg: expect.stringMatching(reason),
        }),
      );
      const stored = await getMessage(res.body.sid);
      expect(stored.body).toMatchObject({
        status: 'failed',
        failure_reason: expect.stringMatching(reason),
      });
      expect(stored.body.history.map((h: { status: string }) => h.status)).toEqual([
        'queued',
        'failed',
      ]);
      for (const secret of [...SECRETS, 'dead-pass']) {
        expect(res.raw).not.toContain(secret);
        expect(stored.raw).not.toContain(secret);
      }
      return stored.body;
    };

    it('an HTTP 500 with a body: the body is the providerResponse', async () => {
      peerless.handler = (_req, res) => json(res, 500, { error: 'invalid destination' });
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'x',
        provider: 'peerless',
      });
      const stored = await expectFailed(res, /HTTP 500/);
      expect(res.body.providerResponse).toEqual({ error: 'invalid destination' });
      expect(stored.provider_response).toEqual({ error: 'invalid destination' });
    });

    it('382com answering HTTP 500: its credentials appear nowhere', async () => {
      com382.handler = (_req, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('ERR');
      };
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'x',
        provider: '382com',
      });
      await expectFailed(res, /HTTP 500/);
    });

    it('a provider that never answers: failed after PROVIDER_TIMEOUT_MS', async () => {
      const held: ServerResponse[] = [];
      simwood.handler = (_req, res) => {
        held.push(res);
      };
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'x',
        provider: 'simwood',
      });
      await expectFailed(res, /time/);
      expect(res.body.providerResponse).toBeUndefined();
      for (const r of held) r.destroy();
    });

    it('a provider that refuses the connection', async () => {
      const res = await send({
        from: '13322060388',
        to: '15083084809',
        text: 'x',
        provider: 'deadend',
      });
      await expectFailed(res, /could not be reached|ECONNREFUSED/);
    });
  });
});

describe('POST /v1/Accounts/{sid}/Messages without any provider configured', () => {
  let gw: TestApp;
  afterAll(() => gw.close());

  it('answers 503 and stores nothing', async () => {
    gw = await createTestApp();
    const account = await createAccount(gw.baseUrl, ['13322060388']);
    const res = await api(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${account.sid}/Messages`,
      { from: '13322060388', to: '15083084809', text: 'hi' },
      account.apiKey,
    );
    expect(res.status).toBe(503);
    expect(res.body.msg).toMatch(/no SMS provider/);
    const log = await api(
      gw.baseUrl,
      'GET',
      `/v1/Accounts/${account.sid}/Messages`,
      undefined,
      account.apiKey,
    );
    expect(log.body.data).toEqual([]);
  });
});

describe('POST /v1/Accounts/{sid}/Messages with BLOCK_PRIVATE_WEBHOOKS=true', () => {
  const provider = new HttpStub();
  let gw: TestApp;
  beforeAll(async () => {
    await provider.start();
    gw = await createTestApp({
      env: {
        BLOCK_PRIVATE_WEBHOOKS: 'true',
        JAMBONES_MESSAGING: JSON.stringify({
          simwood: { module: 'simwood', options: { url: `${provider.url}/sms` } },
        }),
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await provider.stop();
  });

  it.each(['http://127.0.0.1:9/status', 'http://10.1.2.3/status', 'http://localhost/status'])(
    'refuses the status_hook %s before sending anything',
    async (url) => {
      const account = await createAccount(gw.baseUrl);
      const res = await api(
        gw.baseUrl,
        'POST',
        `/v1/Accounts/${account.sid}/Messages`,
        { from: '13322060388', to: '15083084809', text: 'hi', status_hook: { url } },
        account.apiKey,
      );
      expect(res.status).toBe(400);
      expect(res.body.msg).toMatch(/^status_hook .*(loopback|private)/);
      expect(provider.requests).toHaveLength(0);
    },
  );
});
