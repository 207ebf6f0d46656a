import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { HttpStub, json, type RecordedRequest } from './utils/http-stub';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebhookResponse } = require('@jambonz/node-client');

/** Runs @jambonz/node-client's own signature check on a request the application received. */
function verifiedByNodeClient(secret: string, req: RecordedRequest): boolean {
  const middleware = WebhookResponse.verifyJambonzSignature(secret);
  let passed = false;
  try {
    middleware(
      { get: (name: string) => req.headers[name.toLowerCase()], body: req.json, url: req.url },
      {},
      () => (passed = true),
    );
  } catch {
    return false;
  }
  return passed;
}

const basic = (req: RecordedRequest): string =>
  Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();

describe('inbound SMS: provider -> gateway -> application -> message verb -> provider', () => {
  const peerless = new HttpStub();
  const com382 = new HttpStub();
  const simwood = new HttpStub();
  const application = new HttpStub();
  let gw: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    await Promise.all([peerless.start(), com382.start(), simwood.start(), application.start()]);
    com382.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK. Message Submitted Successfully');
    };
    simwood.handler = (_req, res) => json(res, 200, { id: 'sw-1' });
    peerless.handler = (_req, res) => json(res, 200, { id: 'pl-1' });
    gw = await createTestApp({
      env: {
        JAMBONES_MESSAGING: JSON.stringify({
          peerless: {
            module: 'peerless',
            options: { url: `${peerless.url}/submit`, auth: { username: 'pu', password: 'pp' } },
          },
          '382com': {
            module: '382com',
            options: { url: `${com382.url}/sendsms.cgi`, auth: { username: 'cu', password: 'cp' } },
          },
          simwood: {
            module: 'simwood',
            options: {
              url: `${simwood.url}/v3/messaging/ACC/sms`,
              auth: { username: 'su', password: 'sp' },
            },
          },
        }),
      },
    });
    tenant = await createTenant(gw.baseUrl, {
      hookUrl: `${application.url}/sms/incoming`,
      username: 'hookuser',
      password: 'hook-pass',
      numbers: ['+17743008772', '13393646057', '15085710838'],
    });
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all([peerless.stop(), com382.stop(), simwood.stop(), application.stop()]);
  });

  beforeEach(() => {
    for (const stub of [peerless, com382, simwood, application]) stub.requests.length = 0;
  });

  const replyWith = (provider: string): void => {
    application.handler = (req, res) => {
      if (req.path === '/sms/incoming') {
        const m = req.json as { from: string; to: string[] };
        json(res, 200, [
          {
            verb: 'message',
            from: m.to[0],
            to: m.from,
            text: 'Thank you & goodbye #1 +',
            provider,
            actionHook: '/sms/action',
          },
        ]);
      } else {
        json(res, 200, {});
      }
    };
  };

  const cases: Array<{
    provider: string;
    payload: unknown;
    answer: (sid: string) => unknown;
    from: string;
    to: string;
    stub: () => HttpStub;
    checkReply: (req: RecordedRequest) => void;
  }> = [
    {
      provider: 'peerless',
      payload: {
        from: '+15083084809',
        recipients: ['+17743008772'],
        ccRecipients: [],
        text: 'Hi there!',
        mediaURL: null,
        contentId: null,
      },
      answer: (sid) => ({ receipt: sid, status: 'accepted' }),
      from: '15083084809',
      to: '17743008772',
      stub: () => peerless,
      checkReply: (req) => {
        expect(req.method).toBe('POST');
        expect(req.path).toBe('/submit');
        expect(basic(req)).toBe('pu:pp');
        expect(req.json).toEqual({
          from: '+17743008772',
          recipients: ['+15083084809'],
          ccRecipients: [],
          text: 'Thank you & goodbye #1 +',
        });
      },
    },
    {
      provider: '382com',
      payload: {
        source: '5083084809',
        destination: '3393646057',
        type: 'sms',
        message: 'Hello there',
      },
      answer: () => ({}),
      from: '15083084809',
      to: '13393646057',
      stub: () => com382,
      checkReply: (req) => {
        expect(req.method).toBe('GET');
        expect(req.path).toBe('/sendsms.cgi');
        expect(Object.fromEntries(req.query)).toEqual({
          user: 'cu',
          pass: 'cp',
          source: '3393646057',
          destination: '5083084809',
          message: 'Thank you & goodbye #1 +',
        });
      },
    },
    {
      provider: 'simwood',
      payload: {
        app: 'sms_inbound',
        id: '9a171a847f3238d8e3b33120d2a',
        data: {
          destination: '15085710838',
          length: 8,
          message: 'Hi there',
          originator: '15083084809',
          time: '2020-10-06 20:36:05',
        },
      },
      answer: () => ({}),
      from: '15083084809',
      to: '15085710838',
      stub: () => simwood,
      checkReply: (req) => {
        expect(req.method).toBe('POST');
        expect(basic(req)).toBe('su:sp');
        expect(req.json).toEqual({
          from: '15085710838',
          to: '15083084809',
          cc: [],
          message: 'Thank you & goodbye #1 +',
          media: [],
        });
      },
    },
  ];

  it.each(cases)(
    '$provider: native payload reaches the application, and its reply reaches the provider',
    async (c) => {
      replyWith(c.provider);
      const res = await api(gw.baseUrl, 'POST', `/v1/messaging/${c.provider}`, c.payload, null);
      expect(res.status).toBe(200);
      await application.waitFor(2);
      const hook = application.requests.find((r) => r.path === '/sms/incoming')!;
      const messageSid = (hook.json as { messageSid: string }).messageSid;
      expect(res.body).toEqual(c.answer(messageSid));
      expect(hook.method).toBe('POST');
      expect(hook.headers['content-type']).toBe('application/json');
      expect(basic(hook)).toBe('hookuser:hook-pass');
      expect(hook.json).toEqual({
        messageSid,
        accountSid: tenant.accountSid,
        applicationSid: tenant.applicationSid,
        provider: c.provider,
        from: c.from,
        to: [c.to],
        cc: [],
        text:
          c.provider === '382com'
            ? 'Hello there'
            : c.provider === 'peerless'
              ? 'Hi there!'
              : 'Hi there',
        media: [],
      });
      expect(verifiedByNodeClient(tenant.webhookSecret, hook)).toBe(true);
      expect(verifiedByNodeClient('another-secret', hook)).toBe(false);

      await c.stub().waitFor(1);
      c.checkReply(c.stub().requests[0]!);

      const action = application.requests.find((r) => r.path === '/sms/action')!;
      expect(action.method).toBe('POST');
      expect(verifiedByNodeClient(tenant.webhookSecret, action)).toBe(true);
      expect(action.json).toMatchObject({ message_status: 'success', carrier: c.provider });
      const replySid = (action.json as { message_sid: string }).message_sid;

      const db = gw.app.get(DataSource);
      const [inbound] = await db.query(
        `SELECT status, direction FROM messages WHERE sid = '${messageSid}'`,
      );
      expect(inbound).toEqual({ status: 'delivered-to-app', direction: 'inbound' });
      const [reply] = await db.query(
        `SELECT status, direction, parent_message_sid FROM messages WHERE sid = '${replySid}'`,
      );
      expect(reply).toEqual({
        status: 'sent',
        direction: 'outbound',
        parent_message_sid: messageSid,
      });
    },
  );

  it('a GET messaging hook receives the payload as query parameters, signed over an empty body', async () => {
    const getHook = new HttpStub();
    await getHook.start();
    try {
      const t = await createTenant(gw.baseUrl, {
        hookUrl: `${getHook.url}/hook?x=1`,
        hookMethod: 'GET',
        numbers: ['15550001111'],
      });
      const res = await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/382com',
        {
          source: '5083084809',
          destination: '5550001111',
          type: 'mms',
          message: 'http://picmsg.org/x.jpg',
        },
        null,
      );
      expect(res.status).toBe(200);
      await getHook.waitFor(1);
      const req = getHook.requests[0]!;
      expect(req.method).toBe('GET');
      expect(req.query.get('x')).toBe('1');
      expect(req.query.get('from')).toBe('15083084809');
      expect(req.query.getAll('to')).toEqual(['15550001111']);
      expect(req.query.getAll('media')).toEqual(['http://picmsg.org/x.jpg']);
      expect(req.query.get('accountSid')).toBe(t.accountSid);
      expect(verifiedByNodeClient(t.webhookSecret, { ...req, json: '' })).toBe(true);
    } finally {
      await getHook.stop();
    }
  });

  it('an alphanumeric sender id reaches the application as written', async () => {
    application.handler = (_req, res) => json(res, 200, {});
    const res = await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/simwood',
      {
        app: 'sms_inbound',
        data: { destination: '15085710838', message: 'sale', originator: 'ACME' },
      },
      null,
    );
    expect(res.status).toBe(200);
    await application.waitFor(1);
    expect(application.requests[0]!.json).toMatchObject({ from: 'ACME', to: ['15085710838'] });
  });

  it('a regenerated webhook secret and new hook credentials apply to the very next delivery', async () => {
    application.handler = (_req, res) => json(res, 200, {});
    const post = (text: string) =>
      api(gw.baseUrl, 'POST', '/v1/messaging/simwood', {
        app: 'sms_inbound',
        data: { destination: '15085710838', message: text, originator: '15083084809' },
      }, null);
    expect((await post('before')).status).toBe(200);
    await application.waitFor(1);
    expect(verifiedByNodeClient(tenant.webhookSecret, application.requests[0]!)).toBe(true);
    const secretPath = `/v1/Accounts/${tenant.accountSid}/WebhookSecret?regenerate=true`;
    const fresh = (await api(gw.baseUrl, 'GET', secretPath)).body.webhook_secret as string;
    const updated = await api(gw.baseUrl, 'PUT', `/v1/Applications/${tenant.applicationSid}`, {
      messaging_hook: { username: 'hookuser', password: 'hook-pass-2' },
    });
    expect(updated.status).toBe(200);
    try {
      expect((await post('after')).status).toBe(200);
      await application.waitFor(2);
      const after = application.requests[1]!;
      expect(verifiedByNodeClient(fresh, after)).toBe(true);
      expect(verifiedByNodeClient(tenant.webhookSecret, after)).toBe(false);
      expect(basic(after)).toBe('hookuser:hook-pass-2');
    } finally {
      tenant.webhookSecret = fresh;
      await api(gw.baseUrl, 'PUT', `/v1/Applications/${tenant.applicationSid}`, {
        messaging_hook: { username: 'hookuser', password: 'hook-pass' },
      });
    }
  });

  it('form-encoded bodies are read too', async () => {
    application.handler = (_req, res) => json(res, 200, {});
    const res = await fetch(`${gw.baseUrl}/v1/messaging/382com`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        source: '5083084809',
        destination: '3393646057',
        type: 'sms',
        message: 'a&b=c #1 +',
      }).toString(),
    });
    expect(res.status).toBe(200);
    await application.waitFor(1);
    expect((application.requests[0]!.json as { text: string }).text).toBe('a&b=c #1 +');
  });

  it('an application that fails and recovers gets the message once, after retries, every attempt recorded', async () => {
    let calls = 0;
    application.handler = (_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 500, { error: 'down' });
      if (calls === 2) return json(res, 429, {});
      json(res, 200, {});
    };
    const res = await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/simwood',
      {
        app: 'sms_inbound',
        data: { destination: '15085710838', message: 'retry me', originator: '15083084809' },
      },
      null,
    );
    expect(res.status).toBe(200);
    await application.waitFor(3);
    const sid = (application.requests[0]!.json as { messageSid: string }).messageSid;
    const db = gw.app.get(DataSource);
    const attempts = await eventually(async () => {
      const rows: Array<{ status_code: number }> = await db.query(
        `SELECT status_code FROM delivery_attempts WHERE message_sid = '${sid}' ORDER BY attempt`,
      );
      return rows.length === 3 ? rows : undefined;
    });
    expect(attempts.map((a) => Number(a.status_code))).toEqual([500, 429, 200]);
    // The status moves in a write of its own, after the attempt is recorded.
    const status = await eventually(async () => {
      const [msg] = await db.query(`SELECT status FROM messages WHERE sid = '${sid}'`);
      return msg.status === 'received' ? undefined : (msg.status as string);
    });
    expect(status).toBe('delivered-to-app');
    expect(
      application.requests.every((r) => (r.json as { messageSid: string }).messageSid === sid),
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(application.requests).toHaveLength(3);
  });

  it('a 4xx other than 408/429 is final: one attempt, the message failed-to-app', async () => {
    application.handler = (_req, res) => json(res, 404, {});
    const res = await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/simwood',
      {
        app: 'sms_inbound',
        data: { destination: '15085710838', message: 'nobody home', originator: '15083084809' },
      },
      null,
    );
    expect(res.status).toBe(200);
    await application.waitFor(1);
    const sid = (application.requests[0]!.json as { messageSid: string }).messageSid;
    const db = gw.app.get(DataSource);
    const msg = await eventually(async () => {
      const [row] = await db.query(
        `SELECT status, failure_reason FROM messages WHERE sid = '${sid}'`,
      );
      return row.status === 'failed-to-app' ? row : undefined;
    });
    expect(msg.failure_reason).toContain('HTTP 404');
    await new Promise((r) => setTimeout(r, 400));
    expect(application.requests).toHaveLength(1);
  });

  it('invalid verbs are skipped and the others still run', async () => {
    application.handler = (req, res) => {
      if (req.path !== '/sms/incoming') return json(res, 200, {});
      json(res, 200, [
        { verb: 'message', to: '15083084809', text: 'no from' },
        'not a verb',
        { verb: 'say', text: 'not for SMS' },
        {
          verb: 'message',
          from: '15085710838',
          to: '15083084809',
          text: 'valid',
          carrier: 'simwood',
        },
      ]);
    };
    await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/simwood',
      {
        app: 'sms_inbound',
        data: { destination: '15085710838', message: 'verbs', originator: '15083084809' },
      },
      null,
    );
    await simwood.waitFor(1);
    expect(simwood.requests).toHaveLength(1);
    expect((simwood.requests[0]!.json as { message: string }).message).toBe('valid');
  });

  it('a message verb naming an unknown provider reports "no carriers" to its actionHook', async () => {
    application.handler = (req, res) => {
      if (req.path !== '/sms/incoming') return json(res, 200, {});
      json(res, 200, [
        {
          verb: 'message',
          from: '15085710838',
          to: '15083084809',
          text: 'x',
          provider: 'nope',
          actionHook: { url: '/sms/action', method: 'POST' },
        },
      ]);
    };
    await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/simwood',
      {
        app: 'sms_inbound',
        data: { destination: '15085710838', message: 'hi', originator: '15083084809' },
      },
      null,
    );
    await application.waitFor(2);
    expect(application.requests[1]!.json).toMatchObject({ message_status: 'no carriers' });
  });

  describe('refusals', () => {
    it('404 for an unknown provider', async () => {
      const res = await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/nosuch',
        { from: '1', recipients: ['2'] },
        null,
      );
      expect(res.status).toBe(404);
      expect(res.body.msg).toContain('nosuch');
    });
    it('404 for a number nobody owns', async () => {
      const res = await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/peerless',
        { from: '+15083084809', recipients: ['+19998887777'], text: 'x' },
        null,
      );
      expect(res.status).toBe(404);
      expect(res.body.msg).toContain('19998887777');
    });
    it('400 for a body the plug-in cannot translate', async () => {
      const res = await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/simwood',
        { app: 'sms_inbound' },
        null,
      );
      expect(res.status).toBe(400);
      expect(res.body.msg).toMatch(/data/);
    });
    it('400 for malformed JSON and for an empty body', async () => {
      const bad = await api(gw.baseUrl, 'POST', '/v1/messaging/peerless', '{"from": ', null);
      expect(bad.status).toBe(400);
      expect(bad.body.msg).toMatch(/JSON/);
      const empty = await fetch(`${gw.baseUrl}/v1/messaging/peerless`, { method: 'POST' });
      expect(empty.status).toBe(400);
    });
    it('413 above the body limit', async () => {
      const res = await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/peerless',
        { from: '+1', recipients: ['+2'], text: 'x'.repeat(200_000) },
        null,
      );
      expect(res.status).toBe(413);
      expect(res.body.msg).toMatch(/too large/);
    });
    it('nothing is stored from a refused request', async () => {
      const db = gw.app.get(DataSource);
      const before = await db.query('SELECT COUNT(*) AS n FROM messages');
      await api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/peerless',
        { from: '+15083084809', recipients: ['+19998887777'] },
        null,
      );
      const after = await db.query('SELECT COUNT(*) AS n FROM messages');
      expect(Number(after[0].n)).toBe(Number(before[0].n));
    });
  });
});
