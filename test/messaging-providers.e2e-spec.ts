import { ADMIN_KEY, createTestApp, type TestApp } from './utils/create-app';

describe('GET /v1/MessagingProviders', () => {
  let gw: TestApp;
  beforeAll(async () => {
    gw = await createTestApp({
      env: {
        JAMBONES_MESSAGING: JSON.stringify({
          peerless: {
            module: '@jambonz/messaging-peerless',
            options: {
              url: 'https://user:urlpass@peerless.example/submit',
              auth: { username: 'pu', password: 'peerless-pass' },
            },
          },
          simwood: {
            module: 'simwood',
            options: { url: 'https://api.example/sms?api_key=query-secret', token: 'tok-secret' },
          },
        }),
      },
    });
  });
  afterAll(() => gw.close());

  it('lists every provider, default first, with no secret in the answer', async () => {
    const res = await fetch(`${gw.baseUrl}/v1/MessagingProviders`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    const raw = await res.text();
    for (const secret of ['urlpass', 'peerless-pass', 'query-secret', 'tok-secret'])
      expect(raw).not.toContain(secret);
    const body = JSON.parse(raw) as Array<Record<string, unknown>>;
    expect(body.map((p) => [p.name, p.default])).toEqual([
      ['peerless', true],
      ['simwood', false],
    ]);
    expect(body[0]).toMatchObject({
      module: '@jambonz/messaging-peerless',
      capabilities: { receive: true, send: true, customInboundResponse: true },
      options: { auth: { username: 'pu', password: '[REDACTED]' } },
    });
  });

  it('refuses a call without the admin key', async () => {
    const res = await fetch(`${gw.baseUrl}/v1/MessagingProviders`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ msg: expect.stringContaining('bearer') });
    const wrong = await fetch(`${gw.baseUrl}/v1/MessagingProviders`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });
});
