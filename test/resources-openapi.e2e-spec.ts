import { createTestApp, type TestApp } from './utils/create-app';

type Operation = {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: unknown }>;
  parameters?: Array<{ name: string; in: string; schema?: { format?: string } }>;
};

describe('OpenAPI document of the resources', () => {
  let gw: TestApp;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: {
      securitySchemes: Record<string, { scheme?: string }>;
      schemas: Record<string, any>;
    };
  };
  beforeAll(async () => {
    gw = await createTestApp();
    const res = await fetch(`${gw.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });
  afterAll(() => gw.close());

  const operations: Array<[string, string, string[]]> = [
    ['post', '/v1/Accounts', ['201', '400', '401', '403']],
    ['get', '/v1/Accounts', ['200', '401']],
    ['get', '/v1/Accounts/{sid}', ['200', '400', '401', '403', '404']],
    ['put', '/v1/Accounts/{sid}', ['200', '400', '401', '403', '404']],
    ['delete', '/v1/Accounts/{sid}', ['204', '400', '401', '403', '404', '422']],
    ['get', '/v1/Accounts/{sid}/WebhookSecret', ['200', '400', '401', '403', '404']],
    ['post', '/v1/ApiKeys', ['201', '400', '401', '403', '422']],
    ['get', '/v1/ApiKeys', ['200', '400', '401', '403']],
    ['delete', '/v1/ApiKeys/{sid}', ['204', '400', '401', '403', '404']],
    ['post', '/v1/Applications', ['201', '400', '401', '403', '422']],
    ['get', '/v1/Applications', ['200', '400', '401', '403']],
    ['get', '/v1/Applications/{sid}', ['200', '400', '401', '403', '404']],
    ['put', '/v1/Applications/{sid}', ['200', '400', '401', '403', '404', '422']],
    ['delete', '/v1/Applications/{sid}', ['204', '400', '401', '403', '404', '422']],
    ['post', '/v1/PhoneNumbers', ['201', '400', '401', '403', '422']],
    ['get', '/v1/PhoneNumbers', ['200', '400', '401', '403']],
    ['get', '/v1/PhoneNumbers/{sid}', ['200', '400', '401', '403', '404']],
    ['put', '/v1/PhoneNumbers/{sid}', ['200', '400', '401', '403', '404', '422']],
    ['delete', '/v1/PhoneNumbers/{sid}', ['204', '400', '401', '403', '404']],
  ];

  it.each(operations)('documents %s %s with bearer auth and its answers', (method, path, codes) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(op!.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(op!.responses).sort()).toEqual([...codes].sort());
    if (path.includes('{sid}')) {
      expect(op!.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'sid',
            in: 'path',
            schema: expect.objectContaining({ format: 'uuid' }),
          }),
        ]),
      );
    }
  });

  it('declares the bearer scheme and never offers a way to read secrets back', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.AccountDto.properties)).not.toContain('webhook_secret');
    expect(Object.keys(schemas.ApiKeyDto.properties)).not.toContain('token');
    expect(Object.keys(schemas.MessagingHookViewDto.properties)).not.toContain('password');
    expect(schemas.MessagingHookDto.properties.password).toMatchObject({
      type: 'string',
      writeOnly: true,
    });
    expect(schemas.CreatePhoneNumberDto.properties.number.example).toBe('+1 (508) 571-0838');
  });
});
