import { createHmac } from 'node:crypto';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import { HttpStub, json, type RecordedRequest } from './utils/http-stub';
import { eventually } from './utils/api';

/**
 * Secrets never leave the gateway except where they are meant to: after a full run (accounts,
 * keys, an application with a hook password, numbers, an inbound message signed with the webhook
 * secret, replies and sends through a provider with a password, providers that fail with
 * credentials in their URL and in their answers), neither the debug log of the gateway process
 * nor any API answer holds a password, token, API key or webhook secret. The two exceptions are
 * the answer that creates an API key (its token, once) and GET .../WebhookSecret.
 */

const ADMIN = 'admin-key-Zq8Vw3Lp9Xk2Mn7R';
const PROVIDER_PASSWORD = 'prov-pass-Hy6Tr4Ew2Qa9';
const URL_PASSWORD = 'url-pass-Kj8Gf5Ds3Pa1';
const URL_TOKEN = 'url-token-Mn4Bv7Cx2Zl0';
const FAILING_PASSWORD = 'fail-pass-Rt5Yu8Io1Pq3';
const INBOUND_PASSWORD = 'inbound-pass-Wd2Fg6Hj9Kl4';
const HOOK_PASSWORD = 'hook-pass-Xc3Vb8Nm1As5';
const WEBHOOK_SECRET = 'whsec-Lk9Jh7Gf5Ds3Aq1Zw';

interface Answer {
  label: string;
  status: number;
  raw: string;
  body: any;
}

describe('security: no secret in the log or in any API answer', () => {
  const provider = new HttpStub();
  const failing = new HttpStub();
  const application = new HttpStub();
  let db: TestDatabase;
  let gateway: GatewayProcess;
  /** Every answer of the run, with the secrets each one may legitimately show. */
  const answers: Array<{ answer: Answer; allowed: string[] }> = [];
  /** Secrets made by the gateway during the run (API key tokens, generated webhook secrets). */
  const issued: string[] = [];

  async function call(
    label: string,
    method: string,
    path: string,
    opts: {
      body?: unknown;
      token?: string | null;
      headers?: Record<string, string>;
      allowed?: string[];
    } = {},
  ): Promise<Answer> {
    const token = opts.token === undefined ? ADMIN : opts.token;
    const res = await fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(10000),
    });
    const raw = await res.text();
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const answer = {
      label,
      status: res.status,
      raw: `${[...res.headers].join('\n')}\n${raw}`,
      body,
    };
    answers.push({ answer, allowed: opts.allowed ?? [] });
    return answer;
  }

  beforeAll(async () => {
    await Promise.all([provider.start(), failing.start(), application.start()]);
    provider.handler = (_req, res) => json(res, 200, { id: 'provider-msg-1', status: 'queued' });
    // A provider that fails and, as some do, repeats what it was sent in its error page.
    failing.handler = (req, res) =>
      json(res, 500, {
        error: 'authentication failed',
        received_authorization: req.headers.authorization,
        received_url: req.url,
        detail: `user fail-user with password ${FAILING_PASSWORD} is locked`,
      });
    application.handler = (req, res) => {
      if (req.path === '/sms') {
        json(res, 200, [
          {
            verb: 'message',
            from: '15085710838',
            to: '15083084809',
            text: 'auto reply',
            actionHook: '/action',
          },
        ]);
      } else json(res, 200, {});
    };
    db = await createTestDatabase();
    const url = new URL(failing.url);
    gateway = await startGateway({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN,
      LOG_LEVEL: 'debug',
      PROVIDER_TIMEOUT_MS: '2000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '100',
      WEBHOOK_POLL_MS: '50',
      JAMBONES_MESSAGING: JSON.stringify({
        peerless: {
          module: 'peerless',
          options: {
            url: `${provider.url}/send`,
            auth: { username: 'prov-user', password: PROVIDER_PASSWORD },
          },
          inbound_auth: { username: 'inbound-user', password: INBOUND_PASSWORD },
        },
        failing: {
          module: 'simwood',
          options: {
            url: `http://url-user:${URL_PASSWORD}@127.0.0.1:${url.port}/v3/messaging/ACC/sms?api_key=${URL_TOKEN}`,
            auth: { username: 'fail-user', password: FAILING_PASSWORD },
          },
        },
        unreachable: {
          module: 'simwood',
          options: {
            url: `http://url-user:${URL_PASSWORD}@127.0.0.1:9/sms?token=${URL_TOKEN}`,
            auth: { username: 'fail-user', password: FAILING_PASSWORD },
          },
        },
      }),
    });
  }, 30000);

  afterAll(async () => {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    await db.drop();
    await Promise.all([provider.stop(), failing.stop(), application.stop()]);
  });

  it('a full run leaves no secret where it does not belong', async () => {
    // Accounts: one with its own webhook secret, one with a generated one.
    const a = await call('create account a', 'POST', '/v1/Accounts', {
      body: { name: 'a', webhook_secret: WEBHOOK_SECRET },
    });
    const b = await call('create account b', 'POST', '/v1/Accounts', { body: { name: 'b' } });
    expect([a.status, b.status]).toEqual([201, 201]);
    const secretA = await call('a secret', 'GET', `/v1/Accounts/${a.body.sid}/WebhookSecret`, {
      allowed: [WEBHOOK_SECRET],
    });
    expect(secretA.body.webhook_secret).toBe(WEBHOOK_SECRET);
    // A generated secret is known once it is read; that answer may show it.
    const secretB = await call('b secret', 'GET', `/v1/Accounts/${b.body.sid}/WebhookSecret`);
    issued.push(secretB.body.webhook_secret);
    answers.at(-1)!.allowed = [secretB.body.webhook_secret];

    // Keys: the token shows once.
    const keyA = await call('create key a', 'POST', '/v1/ApiKeys', {
      body: { account_sid: a.body.sid },
    });
    const keyB = await call('create key b', 'POST', '/v1/ApiKeys', {
      body: { account_sid: b.body.sid },
    });
    for (const [k, created] of [
      [keyA, answers.at(-2)!],
      [keyB, answers.at(-1)!],
    ] as const) {
      expect(k.status).toBe(201);
      issued.push(k.body.token);
      created.allowed = [k.body.token];
    }
    const tokenA = keyA.body.token as string;

    // An application with a hook password, and numbers.
    const app = await call('create application', 'POST', '/v1/Applications', {
      token: tokenA,
      body: {
        name: 'app',
        account_sid: a.body.sid,
        messaging_hook: {
          url: `${application.url}/sms`,
          username: 'hook-user',
          password: HOOK_PASSWORD,
        },
      },
    });
    expect(app.status).toBe(201);
    const number = await call('create number', 'POST', '/v1/PhoneNumbers', {
      token: tokenA,
      body: { number: '+1 508 571 0838', account_sid: a.body.sid, application_sid: app.body.sid },
    });
    expect(number.status).toBe(201);

    // Inbound with the provider's credentials; the application answers with a message verb.
    const inbound = await call('inbound', 'POST', '/v1/messaging/peerless', {
      token: null,
      headers: {
        authorization: `Basic ${Buffer.from(`inbound-user:${INBOUND_PASSWORD}`).toString('base64')}`,
      },
      body: { from: '+15083084809', recipients: ['+15085710838'], text: 'hello' },
    });
    expect(inbound.status).toBe(200);
    await call('inbound, wrong password', 'POST', '/v1/messaging/peerless', {
      token: null,
      headers: {
        authorization: `Basic ${Buffer.from(`inbound-user:${INBOUND_PASSWORD}x`).toString('base64')}`,
      },
      body: { from: '+15083084809', recipients: ['+15085710838'], text: 'hello' },
    });
    await application.waitFor(2); // the messaging hook, then the actionHook of the reply
    const hook = application.requests.find((r) => r.path === '/sms') as RecordedRequest;
    // The webhook secret signs, it is not sent.
    const [, t, v1] =
      /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(hook.headers['jambonz-signature'])) ?? [];
    expect(v1).toBe(createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${hook.raw}`).digest('hex'));
    expect(hook.raw).not.toContain(WEBHOOK_SECRET);
    await eventually(() => (provider.requests.length >= 1 ? true : undefined));

    // Outbound: through the provider with a password, and through two that fail.
    const sent = await call('send', 'POST', `/v1/Accounts/${a.body.sid}/Messages`, {
      token: tokenA,
      body: {
        from: '15085710838',
        to: '15083084809',
        text: 'hi',
        status_hook: `${application.url}/status`,
      },
    });
    expect(sent.status).toBe(201);
    const failed = await call(
      'send, provider fails',
      'POST',
      `/v1/Accounts/${a.body.sid}/Messages`,
      {
        token: tokenA,
        body: { from: '15085710838', to: '15083084809', text: 'hi', provider: 'failing' },
      },
    );
    expect(failed.status).toBe(502);
    expect(failing.requests.length).toBe(1);
    const unreachable = await call(
      'send, provider unreachable',
      'POST',
      `/v1/Accounts/${a.body.sid}/Messages`,
      {
        token: tokenA,
        body: { from: '15085710838', to: '15083084809', text: 'hi', provider: 'unreachable' },
      },
    );
    expect(unreachable.status).toBe(502);

    // Everything a client can read afterwards.
    const list = await call('message log', 'GET', `/v1/Accounts/${a.body.sid}/Messages`, {
      token: tokenA,
    });
    expect(list.body.data.length).toBeGreaterThanOrEqual(4);
    for (const m of list.body.data as Array<{ sid: string }>) {
      await call(`message ${m.sid}`, 'GET', `/v1/Accounts/${a.body.sid}/Messages/${m.sid}`, {
        token: tokenA,
      });
    }
    await call('providers', 'GET', '/v1/MessagingProviders');
    await call('applications', 'GET', '/v1/Applications', { token: tokenA });
    await call('application', 'GET', `/v1/Applications/${app.body.sid}`);
    await call('update application', 'PUT', `/v1/Applications/${app.body.sid}`, {
      body: { name: 'renamed' },
    });
    await call('accounts', 'GET', '/v1/Accounts');
    await call('account', 'GET', `/v1/Accounts/${a.body.sid}`, { token: tokenA });
    await call('keys', 'GET', '/v1/ApiKeys');
    await call('numbers', 'GET', '/v1/PhoneNumbers', { token: tokenA });
    await call('docs', 'GET', '/docs-json', { token: null });
    await call('wrong key', 'GET', '/v1/Applications', { token: `${tokenA.slice(0, -1)}x` });
    await call('admin key, one char off', 'GET', '/v1/Accounts', { token: `${ADMIN}x` });
    await call('key of b on a', 'GET', `/v1/Accounts/${a.body.sid}`, { token: keyB.body.token });
    const regenerated = await call(
      'regenerate',
      'GET',
      `/v1/Accounts/${b.body.sid}/WebhookSecret?regenerate=true`,
    );
    issued.push(regenerated.body.webhook_secret);
    answers.at(-1)!.allowed = [regenerated.body.webhook_secret];
    await call('delete key b', 'DELETE', `/v1/ApiKeys/${keyB.body.sid}`);
    await call('health', 'GET', '/health', { token: null });
    await call('metrics', 'GET', '/metrics', { token: null });

    const secrets = [
      ADMIN,
      PROVIDER_PASSWORD,
      URL_PASSWORD,
      URL_TOKEN,
      FAILING_PASSWORD,
      INBOUND_PASSWORD,
      HOOK_PASSWORD,
      WEBHOOK_SECRET,
      ...issued,
    ];
    // As they travel in Basic auth headers, too.
    const encoded = [
      ['prov-user', PROVIDER_PASSWORD],
      ['fail-user', FAILING_PASSWORD],
      ['inbound-user', INBOUND_PASSWORD],
      ['hook-user', HOOK_PASSWORD],
      ['url-user', URL_PASSWORD],
    ].map(([u, p]) => Buffer.from(`${u}:${p}`).toString('base64'));
    const leaks: string[] = [];
    for (const { answer, allowed } of answers) {
      for (const s of [...secrets, ...encoded]) {
        if (!allowed.includes(s) && answer.raw.includes(s)) {
          leaks.push(`answer "${answer.label}" (${answer.status}) holds ${s}`);
        }
      }
    }
    // Give the last log lines (attempts, action hooks) time to be written.
    await eventually(() =>
      application.requests.some((r) => r.path === '/status') ? true : undefined,
    );
    const log = gateway.output();
    expect(log).toMatch(/"level":"debug"|\bDEBUG\b/);
    for (const s of [...secrets, ...encoded]) {
      if (log.includes(s)) leaks.push(`the log holds ${s}`);
    }
    expect(leaks).toEqual([]);
    // The failing provider's own answer is kept, but with the secrets it echoed taken out.
    const detail = answers.find((x) => x.answer.label === `message ${failed.body.sid}`)!.answer;
    expect(detail.body.status).toBe('failed');
    expect(detail.body.failure_reason).toMatch(/HTTP 500/);
  }, 60000);
});
