import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';
import { api, createTenant, eventually, type Tenant } from './utils/api';
import { HttpStub, json } from './utils/http-stub';

const PROVIDER_PASS = 'peerless-log-secret';
const HOOK_PASS = 'hook-log-secret';

/** What a page of the log holds. */
interface Page {
  data: Array<Record<string, any>>;
  next_cursor: string | null;
  next_page_uri: string | null;
}

describe('GET /v1/Accounts/{sid}/Messages[/{messageSid}]: the message log', () => {
  const peerless = new HttpStub();
  const application = new HttpStub();
  let gw: TestApp;
  let a: Tenant;
  let b: Tenant;
  let paging: Tenant;
  /** A's outbound sends, oldest first: even ones to 15083084809, odd ones to 447700900123; 1 and 4 failed. */
  const sent: Array<{ sid: string; created_at: string }> = [];
  let inboundSid: string;
  let replySid: string;
  let bSid: string;

  const list = (tenant: Tenant, query = '', token: string | null = tenant.apiKey) =>
    api<Page>(
      gw.baseUrl,
      'GET',
      `/v1/Accounts/${tenant.accountSid}/Messages${query}`,
      undefined,
      token,
    );
  const detail = (tenant: Tenant, sid: string, token: string | null = tenant.apiKey) =>
    api(gw.baseUrl, 'GET', `/v1/Accounts/${tenant.accountSid}/Messages/${sid}`, undefined, token);
  const send = async (tenant: Tenant, from: string, to: string, text: string): Promise<string> => {
    const res = await api(
      gw.baseUrl,
      'POST',
      `/v1/Accounts/${tenant.accountSid}/Messages`,
      { from, to, text },
      tenant.apiKey,
    );
    if (res.status !== 201 && res.status !== 502) throw new Error(`send: ${res.status} ${res.raw}`);
    return res.body.sid as string;
  };
  const sids = (page: Page): string[] => page.data.map((m) => m.sid as string);

  beforeAll(async () => {
    await Promise.all([peerless.start(), application.start()]);
    gw = await createTestApp({
      env: {
        JAMBONES_MESSAGING: JSON.stringify({
          peerless: {
            module: 'peerless',
            options: {
              url: `${peerless.url}/submit`,
              auth: { username: 'pu', password: PROVIDER_PASS },
            },
          },
        }),
      },
    });
    const hookUrl = `${application.url}/sms/incoming`;
    a = await createTenant(gw.baseUrl, {
      hookUrl,
      username: 'hookuser',
      password: HOOK_PASS,
      numbers: ['13322060388'],
    });
    b = await createTenant(gw.baseUrl, { hookUrl, numbers: ['15085710838'] });
    paging = await createTenant(gw.baseUrl, { hookUrl, numbers: ['15085710839'] });

    for (let i = 0; i < 7; i++) {
      const fails = i === 1 || i === 4;
      peerless.handler = (_req, res) =>
        fails ? json(res, 500, { error: 'nope' }) : json(res, 200, { id: `pl-${i}` });
      const sid = await send(
        a,
        '13322060388',
        i % 2 === 0 ? '+1 508 308 4809' : '+44 7700 900123',
        `message ${i}`,
      );
      const m = await detail(a, sid);
      sent.push({ sid, created_at: m.body.created_at });
    }
    peerless.handler = (_req, res) => json(res, 200, { id: 'pl-reply' });
    application.handler = (req, res) => {
      const m = req.json as { from: string; to: string[] };
      json(res, 200, [{ verb: 'message', from: m.to[0], to: m.from, text: 'Thanks, got it' }]);
    };
    const inbound = await api(
      gw.baseUrl,
      'POST',
      '/v1/messaging/peerless',
      {
        from: '+15083084809',
        recipients: ['+13322060388'],
        ccRecipients: [],
        text: 'Hi there!',
        mediaURL: null,
      },
      null,
    );
    expect(inbound.status).toBe(200);
    inboundSid = inbound.body.receipt;
    replySid = await eventually(async () => {
      const m = await detail(a, inboundSid);
      return m.body.replies?.[0]?.status === 'sent' && m.body.status === 'delivered-to-app'
        ? (m.body.replies[0].sid as string)
        : undefined;
    });
    bSid = await send(b, '15085710838', '15083084809', 'from b');
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all([peerless.stop(), application.stop()]);
  });

  describe('pagination', () => {
    let pagingSids: string[];

    beforeAll(async () => {
      pagingSids = [];
      for (let i = 0; i < 7; i++)
        pagingSids.push(await send(paging, '15085710839', '15083084809', `page test ${i}`));
    });

    it('walks 7 messages in pages of 3, newest first, without duplicates', async () => {
      const pages: Page[] = [];
      let query = '?limit=3';
      for (;;) {
        const res = await list(paging, query);
        expect(res.status).toBe(200);
        pages.push(res.body);
        if (res.body.next_cursor === null) break;
        query = `?limit=3&cursor=${encodeURIComponent(res.body.next_cursor)}`;
        expect(pages.length).toBeLessThan(5);
      }
      expect(pages.map((p) => p.data.length)).toEqual([3, 3, 1]);
      expect(pages.map((p) => p.next_cursor === null)).toEqual([false, false, true]);
      expect(pages[2]!.next_page_uri).toBeNull();
      const all = pages.flatMap(sids);
      expect(new Set(all).size).toBe(7);
      expect(all).toEqual([...pagingSids].reverse());
      const times = pages.flatMap((p) => p.data.map((m) => m.created_at as string));
      expect([...times].sort().reverse()).toEqual(times);
    });

    it('next_page_uri leads to the same page as the cursor', async () => {
      const first = await list(paging, '?limit=3&direction=outbound');
      expect(first.body.next_page_uri).toMatch(
        new RegExp(`^/v1/Accounts/${paging.accountSid}/Messages\\?`),
      );
      const viaUri = await api<Page>(
        gw.baseUrl,
        'GET',
        first.body.next_page_uri!,
        undefined,
        paging.apiKey,
      );
      const viaCursor = await list(
        paging,
        `?limit=3&direction=outbound&cursor=${encodeURIComponent(first.body.next_cursor!)}`,
      );
      expect(viaUri.status).toBe(200);
      expect(sids(viaUri.body)).toEqual(sids(viaCursor.body));
      expect(sids(viaUri.body)).toEqual([...pagingSids].reverse().slice(3, 6));
    });

    it('answers up to 50 by default, in one page here', async () => {
      const res = await list(paging);
      expect(res.body.data).toHaveLength(7);
      expect(res.body.next_cursor).toBeNull();
      expect((await list(paging, '?limit=200')).status).toBe(200);
    });

    it.each([
      ['?limit=0', /limit/],
      ['?limit=201', /limit/],
      ['?limit=abc', /limit/],
      ['?cursor=not-a-cursor', /cursor/],
      [
        `?cursor=${Buffer.from(JSON.stringify({ c: '2026-01-01T00:00:00.000Z', s: 'x\u0000' })).toString('base64url')}`,
        /cursor/,
      ],
      ['?direction=sideways', /direction/],
      ['?status=lost', /status/],
      ['?number=hello', /number/],
      ['?after=yesterday', /after/],
      ['?before=2026-13-45T00:00:00Z', /before/],
      ['?colour=red', /colour/],
    ])('refuses %s with a 400 naming the parameter', async (query, msg) => {
      const res = await list(paging, query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ msg: expect.stringMatching(msg) });
    });
  });

  describe('filters', () => {
    const byDirection = async (query: string) => new Set(sids((await list(a, query)).body));

    it('direction', async () => {
      expect(await byDirection('?direction=inbound')).toEqual(new Set([inboundSid]));
      expect(await byDirection('?direction=outbound')).toEqual(
        new Set([...sent.map((m) => m.sid), replySid]),
      );
    });

    it('status', async () => {
      expect(await byDirection('?status=failed')).toEqual(new Set([sent[1]!.sid, sent[4]!.sid]));
      expect(await byDirection('?status=delivered-to-app')).toEqual(new Set([inboundSid]));
      const ok = (await list(a, '?status=sent')).body.data;
      expect(ok.every((m) => m.status === 'sent')).toBe(true);
      expect(ok).toHaveLength(6);
    });

    it('number, in any format, as sender or recipient', async () => {
      const us = sent.filter((_m, i) => i % 2 === 0).map((m) => m.sid);
      const uk = sent.filter((_m, i) => i % 2 === 1).map((m) => m.sid);
      expect(await byDirection('?number=%2B1%20(508)%20308-4809')).toEqual(
        new Set([...us, inboundSid, replySid]),
      );
      expect(await byDirection('?number=447700900123')).toEqual(new Set(uk));
      expect((await list(a, '?number=13322060388')).body.data).toHaveLength(9);
      expect(await byDirection('?number=15085710838')).toEqual(new Set());
    });

    it('after (inclusive) and before (exclusive)', async () => {
      const t3 = sent[3]!.created_at;
      const t5 = sent[5]!.created_at;
      expect(await byDirection(`?after=${t3}`)).toEqual(
        new Set([...sent.slice(3).map((m) => m.sid), inboundSid, replySid]),
      );
      expect(await byDirection(`?before=${t3}`)).toEqual(
        new Set(sent.slice(0, 3).map((m) => m.sid)),
      );
      expect(await byDirection(`?after=${t3}&before=${t5}&direction=outbound`)).toEqual(
        new Set([sent[3]!.sid, sent[4]!.sid]),
      );
    });

    it('combined, and paginated with the filters kept', async () => {
      const q = '?direction=outbound&status=sent&number=%2B447700900123&limit=1';
      const first = await list(a, q);
      expect(sids(first.body)).toEqual([sent[5]!.sid]);
      const second = await api<Page>(
        gw.baseUrl,
        'GET',
        first.body.next_page_uri!,
        undefined,
        a.apiKey,
      );
      expect(sids(second.body)).toEqual([sent[3]!.sid]);
      expect(second.body.next_cursor).toBeNull();
    });
  });

  describe('one message', () => {
    it('an inbound message: its history, its webhook delivery and its reply', async () => {
      const res = await detail(a, inboundSid);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        sid: inboundSid,
        account_sid: a.accountSid,
        application_sid: a.applicationSid,
        direction: 'inbound',
        provider: 'peerless',
        from: '15083084809',
        to: ['13322060388'],
        cc: [],
        text: 'Hi there!',
        media: [],
        segments: 1,
        encoding: 'GSM-7',
        status: 'delivered-to-app',
        failure_reason: null,
        provider_response: null,
        parent_message_sid: null,
      });
      expect(res.body.history.map((h: any) => h.status)).toEqual(['received', 'delivered-to-app']);
      expect(res.body.delivery_attempts).toEqual([
        expect.objectContaining({
          kind: 'messaging_hook',
          url: `${application.url}/sms/incoming`,
          method: 'POST',
          attempt: 1,
          status_code: 200,
          error: null,
          duration_ms: expect.any(Number),
        }),
      ]);
      expect(res.body.replies).toEqual([
        expect.objectContaining({
          sid: replySid,
          direction: 'outbound',
          application_sid: a.applicationSid,
          from: '13322060388',
          to: ['15083084809'],
          text: 'Thanks, got it',
          status: 'sent',
          parent_message_sid: inboundSid,
          provider_response: { id: 'pl-reply' },
        }),
      ]);
    });

    it('an outbound message with exactly the documented fields', async () => {
      const res = await detail(a, sent[0]!.sid);
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'sid',
          'account_sid',
          'application_sid',
          'direction',
          'provider',
          'from',
          'to',
          'cc',
          'text',
          'media',
          'segments',
          'encoding',
          'status',
          'failure_reason',
          'provider_message_id',
          'provider_response',
          'parent_message_sid',
          'created_at',
          'updated_at',
          'history',
          'delivery_attempts',
          'replies',
        ].sort(),
      );
      expect(res.body).toMatchObject({
        status: 'sent',
        provider_message_id: 'pl-0',
        provider_response: { id: 'pl-0' },
      });
      expect(res.body.history.map((h: any) => h.status)).toEqual(['queued', 'sent']);
      expect(res.body.delivery_attempts).toEqual([]);
      expect(res.body.replies).toEqual([]);
    });

    it('a failed message keeps its reason', async () => {
      const res = await detail(a, sent[1]!.sid);
      expect(res.body).toMatchObject({
        status: 'failed',
        failure_reason: expect.stringMatching(/HTTP 500/),
        provider_response: { error: 'nope' },
      });
    });
  });

  describe('scoping and secrets', () => {
    it("an account key on another account's log: 403", async () => {
      expect((await list(a, '', b.apiKey)).status).toBe(403);
      expect((await detail(a, sent[0]!.sid, b.apiKey)).status).toBe(403);
    });

    it("another account's message on this account's path: 404", async () => {
      expect((await detail(a, bSid, ADMIN_KEY)).status).toBe(404);
      const res = await detail(b, sent[0]!.sid);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ msg: expect.stringMatching(/not found/) });
    });

    it('the admin sees one account per path; lists never mix accounts', async () => {
      const res = await list(a, '?limit=200', ADMIN_KEY);
      expect(res.body.data).toHaveLength(9);
      expect(res.body.data.every((m) => m.account_sid === a.accountSid)).toBe(true);
      expect(sids((await list(b, '', ADMIN_KEY)).body)).toEqual([bSid]);
    });

    it('unknown, malformed and unauthenticated', async () => {
      expect((await detail(a, '0b6a5a53-1d2b-4c53-9d3c-6f1d2d6e7f80')).status).toBe(404);
      expect((await detail(a, 'nope')).status).toBe(400);
      expect((await list(a, '', null)).status).toBe(401);
      const unknown = await api(
        gw.baseUrl,
        'GET',
        '/v1/Accounts/0b6a5a53-1d2b-4c53-9d3c-6f1d2d6e7f80/Messages',
        undefined,
        ADMIN_KEY,
      );
      expect(unknown.status).toBe(404);
      const malformed = await api(
        gw.baseUrl,
        'GET',
        '/v1/Accounts/xyz/Messages',
        undefined,
        ADMIN_KEY,
      );
      expect(malformed.status).toBe(400);
    });

    it('no secret appears in the log', async () => {
      const raws = [
        (await list(a, '?limit=200')).raw,
        (await detail(a, inboundSid)).raw,
        (await detail(a, sent[1]!.sid)).raw,
      ];
      for (const raw of raws) {
        for (const secret of [PROVIDER_PASS, HOOK_PASS, a.webhookSecret, a.apiKey])
          expect(raw).not.toContain(secret);
      }
    });
  });

  it('is documented in the OpenAPI document with the seed example', async () => {
    const res = await api(gw.baseUrl, 'GET', '/docs-json', undefined, null);
    const path = res.body.paths['/v1/Accounts/{accountSid}/Messages'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(res.body.paths['/v1/Accounts/{accountSid}/Messages/{messageSid}'].get).toBeDefined();
    const post = path.post;
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '422', '502', '503']),
    );
    expect(JSON.stringify(post.requestBody)).toContain('please call when you can');
    expect(JSON.stringify(res.body)).toContain('OK. Message Submitted Successfully');
    expect(post.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
  });
});
