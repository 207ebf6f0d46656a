/*
 * GET /metrics after real traffic: sends that succeed, fail and time out at stub providers,
 * inbound messages whose webhooks are delivered, refused, retried, or left hanging.
 */
import { api, createTenant, eventually } from './utils/api';
import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';
import { HttpStub, json } from './utils/http-stub';
import { neverAnswer } from './utils/provider-kit';

/** The samples of one metric name, as `{labels} -> value`. */
function samples(
  text: string,
  name: string,
): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the sample with exactly these labels (besides `le`), or undefined. */
function value(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples(text, name).find(
    (s) =>
      Object.keys(s.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('GET /metrics', () => {
  const okProvider = new HttpStub();
  const downProvider = new HttpStub();
  const slowProvider = new HttpStub();
  const hooks = new HttpStub();
  let gw: TestApp;

  beforeAll(async () => {
    for (const stub of [okProvider, downProvider, slowProvider, hooks]) await stub.start();
    okProvider.handler = (_req, res) => json(res, 200, { id: 'prov-1' });
    downProvider.handler = (_req, res) => json(res, 500, { error: 'down' });
    neverAnswer(slowProvider);
    const c503 = { n: 0 };
    hooks.handler = (req, res) => {
      if (req.path === '/ok') return json(res, 200, []);
      if (req.path === '/refuse') return json(res, 404, { msg: 'no such app' });
      if (req.path === '/flaky') return json(res, c503.n++ === 0 ? 503 : 200, []);
      return new Promise<void>(() => undefined);
    };
    const simwood = (url: string) => ({ module: 'simwood', options: { url } });
    gw = await createTestApp({
      env: {
        PROVIDER_TIMEOUT_MS: '300',
        WEBHOOK_TIMEOUT_MS: '1000',
        JAMBONES_MESSAGING: JSON.stringify({
          ok: simwood(`${okProvider.url}/sms`),
          down: simwood(`${downProvider.url}/sms`),
          slow: simwood(`${slowProvider.url}/sms`),
          sandbox: { module: 'sandbox' },
        }),
      },
    });
  });

  afterAll(async () => {
    await gw.close();
    for (const stub of [okProvider, downProvider, slowProvider, hooks]) await stub.stop();
  });

  it('is public Prometheus text with the process metrics', async () => {
    const res = await fetch(`${gw.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await res.text();
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE sms_provider_send_duration_seconds histogram');
    expect(text).toContain('# TYPE sms_webhook_deliveries_pending gauge');
  });

  it('counts messages by direction, provider and status, and times provider sends by outcome', async () => {
    const account = await api(gw.baseUrl, 'POST', '/v1/Accounts', { name: 'metrics' });
    const send = (provider: string) =>
      api(gw.baseUrl, 'POST', `/v1/Accounts/${account.body.sid}/Messages`, {
        from: '+15085550100',
        to: '+15085550111',
        text: 'hi',
        provider,
      });
    expect((await send('ok')).status).toBe(201);
    expect((await send('ok')).status).toBe(201);
    expect((await send('down')).status).toBe(502);
    expect((await send('slow')).status).toBe(502);

    const text = await scrape(gw.baseUrl);
    const msgs = (provider: string, status: string) =>
      value(text, 'sms_messages_total', { direction: 'outbound', provider, status });
    expect([msgs('ok', 'queued'), msgs('ok', 'sent'), msgs('ok', 'failed')]).toEqual([
      2,
      2,
      undefined,
    ]);
    expect([msgs('down', 'queued'), msgs('down', 'failed')]).toEqual([1, 1]);
    expect([msgs('slow', 'queued'), msgs('slow', 'failed')]).toEqual([1, 1]);
    const count = (provider: string, outcome: string) =>
      value(text, 'sms_provider_send_duration_seconds_count', { provider, outcome });
    expect(count('ok', 'success')).toBe(2);
    expect(count('down', 'failure')).toBe(1);
    expect(count('slow', 'timeout')).toBe(1);
    expect(
      value(text, 'sms_provider_send_duration_seconds_sum', {
        provider: 'slow',
        outcome: 'timeout',
      }),
    ).toBeGreaterThanOrEqual(0.3);
  });

  it('counts webhook attempts by outcome, deliveries given up, and pending deliveries', async () => {
    const tenant = (path: string, number: string) =>
      createTenant(gw.baseUrl, { hookUrl: `${hooks.url}${path}`, numbers: [number] });
    await tenant('/ok', '15085550201');
    await tenant('/refuse', '15085550202');
    await tenant('/flaky', '15085550203');
    await tenant('/hang', '15085550204');
    const inbound = (to: string) =>
      api(
        gw.baseUrl,
        'POST',
        '/v1/messaging/sandbox',
        { from: '+15085550999', to, text: 'hello' },
        null,
      );
    for (const to of ['15085550201', '15085550202', '15085550203'])
      expect((await inbound(to)).status).toBe(200);

    const text = await eventually(async () => {
      const t = await scrape(gw.baseUrl);
      const delivered = value(t, 'sms_webhook_delivery_attempts_total', {
        kind: 'messaging_hook',
        outcome: 'delivered',
      });
      return delivered === 2 ? t : undefined;
    });
    const attempts = (outcome: string) =>
      value(text, 'sms_webhook_delivery_attempts_total', { kind: 'messaging_hook', outcome });
    expect([attempts('delivered'), attempts('retry'), attempts('failed')]).toEqual([2, 1, 1]);
    expect(value(text, 'sms_webhook_delivery_failures_total', { kind: 'messaging_hook' })).toBe(1);
    expect(
      value(text, 'sms_webhook_delivery_duration_seconds_count', {
        kind: 'messaging_hook',
        outcome: 'delivered',
      }),
    ).toBe(2);
    expect(
      value(text, 'sms_messages_total', {
        direction: 'inbound',
        provider: 'sandbox',
        status: 'received',
      }),
    ).toBe(3);
    expect(value(text, 'sms_webhook_deliveries_pending')).toBe(0);

    expect((await inbound('15085550204')).status).toBe(200);
    await hooks.waitFor(hooks.requests.length + 1);
    expect(value(await scrape(gw.baseUrl), 'sms_webhook_deliveries_pending')).toBe(1);
  });

  it('keeps each gateway in the process to its own counters', async () => {
    const other = await createTestApp({
      env: { JAMBONES_MESSAGING: JSON.stringify({ sandbox: { module: 'sandbox' } }) },
    });
    try {
      const account = await api(
        other.baseUrl,
        'POST',
        '/v1/Accounts',
        { name: 'other' },
        ADMIN_KEY,
      );
      await api(other.baseUrl, 'POST', `/v1/Accounts/${account.body.sid}/Messages`, {
        from: '+15085550100',
        to: '+15085550111',
        text: 'x',
      });
      const mine = await scrape(other.baseUrl);
      expect(
        value(mine, 'sms_messages_total', {
          direction: 'outbound',
          provider: 'sandbox',
          status: 'sent',
        }),
      ).toBe(1);
      expect(samples(mine, 'sms_messages_total').filter((s) => s.labels.provider === 'ok')).toEqual(
        [],
      );
      const first = await scrape(gw.baseUrl);
      expect(
        samples(first, 'sms_messages_total').filter(
          (s) => s.labels.direction === 'outbound' && s.labels.provider === 'sandbox',
        ),
      ).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
