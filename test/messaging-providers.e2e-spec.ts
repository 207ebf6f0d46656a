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

  it('is documented in the OpenAPI document with its response schema and bearer auth', async () => {
    const res = await fetch(`${gw.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    const op = doc.paths['/v1/MessagingProviders']?.get;
    expect(op).toBeDefined();
    expect(op.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(op.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/MessagingProviderDto' },
    });
    for (const status of ['401', '403']) {
      expect(op.responses[status].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ErrorResponseDto',
      });
    }
    const dto = doc.components.schemas.MessagingProviderDto;
    expect(Object.keys(dto.properties).sort()).toEqual(
      ['capabilities', 'default', 'module', 'name', 'options'].sort(),
    );
    expect(dto.required.sort()).toEqual(['capabilities', 'default', 'module', 'name', 'options']);
    expect(dto.properties.capabilities).toEqual({
      $ref: '#/components/schemas/ProviderCapabilitiesDto',
    });
    expect(doc.components.schemas.ProviderCapabilitiesDto.properties).toEqual({
      receive: expect.objectContaining({ type: 'boolean' }),
      send: expect.objectContaining({ type: 'boolean' }),
      customInboundResponse: expect.objectContaining({ type: 'boolean' }),
    });
  });
});
