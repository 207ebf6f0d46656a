import { HttpStub } from '../../test/utils/http-stub';
import { providerHttpClient } from '../../test/utils/provider-kit';

describe('ProviderHttpClient', () => {
  const provider = new HttpStub();

  beforeAll(async () => {
    await provider.start();
    provider.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"direct"}');
    };
  });

  afterAll(() => provider.stop());

  beforeEach(() => {
    provider.requests.length = 0;
  });

  it('sends JSON with Basic credentials and reads the JSON answer', async () => {
    const client = providerHttpClient();
    const answer = await client.request({
      method: 'POST',
      url: `${provider.url}/send?x=1`,
      auth: { username: 'user', password: 'pass' },
      json: { text: 'hi there' },
    });
    expect(answer).toEqual({ id: 'direct' });
    const [req] = provider.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/send?x=1', json: { text: 'hi there' } });
    expect(req!.headers['content-type']).toMatch(/^application\/json/);
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
  });

  it("sends axios' usual Accept and Content-Type, whatever the method", async () => {
    const client = providerHttpClient();
    await client.request({ method: 'POST', url: `${provider.url}/send`, json: { text: 'hi' } });
    await client.request({ method: 'GET', url: `${provider.url}/cgi?to=1` });
    const [post, get] = provider.requests;
    for (const req of [post!, get!]) {
      expect(req.headers.accept).toBe('application/json, text/plain, */*');
    }
    expect(post!.headers['content-type']).toBe('application/json');
    expect(get!.headers['content-type']).toBeUndefined();
  });

  it('turns credentials in the URL into Basic auth, and sends a GET without a body', async () => {
    const target = new URL(`${provider.url}/cgi?to=1`);
    target.username = 'u%40x';
    target.password = 'p w';
    await providerHttpClient().request({ method: 'GET', url: target.toString() });
    const [req] = provider.requests;
    expect(req).toMatchObject({ method: 'GET', url: '/cgi?to=1', raw: '' });
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('u@x:p w').toString('base64')}`);
  });

  it('gives up after the timeout with a ProviderSendError that says so', async () => {
    provider.handler = () => undefined; // never answers
    try {
      await expect(
        providerHttpClient(200).request({ method: 'POST', url: `${provider.url}/send`, json: {} }),
      ).rejects.toMatchObject({ name: 'ProviderSendError', timedOut: true });
    } finally {
      provider.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"direct"}');
      };
    }
  });
});
