import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigService } from '@nestjs/config';
import { APP_CONFIG } from '../config/environment';
import {
  MAX_WEBHOOK_ANSWER_BYTES,
  WebhookCallError,
  WebhookHttpClient,
} from './webhook-http.client';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const client = (webhookTimeoutMs = 2000): WebhookHttpClient =>
  new WebhookHttpClient(new ConfigService({ [APP_CONFIG]: { webhookTimeoutMs } }));

describe('WebhookHttpClient', () => {
  const servers: Server[] = [];
  const clients: WebhookHttpClient[] = [];
  const start = async (handler: Handler): Promise<string> => {
    const s = await serve(handler);
    servers.push(s.server);
    return s.url;
  };
  const make = (timeoutMs?: number): WebhookHttpClient => {
    const c = client(timeoutMs);
    clients.push(c);
    return c;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    const open = servers.splice(0);
    for (const s of open) s.closeAllConnections();
    await Promise.all(open.map((s) => new Promise((r) => s.close(r))));
  });

  it('sends the method, path, query, headers and body, and returns the status and text answer', async () => {
    let seen: {
      method?: string;
      url?: string;
      headers?: IncomingMessage['headers'];
      body?: string;
    } = {};
    const url = await start((req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, { 'content-type': 'application/json' }).end('[{"verb":"message"}]');
    });
    const res = await make().request({
      method: 'POST',
      url: `${url}/sms?x=1`,
      headers: { 'content-type': 'application/json', 'jambonz-signature': 't=1,v1=ab' },
      body: '{"a":1}',
    });
    expect(res).toEqual({ status: 201, body: '[{"verb":"message"}]' });
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/sms?x=1');
    expect(seen.body).toBe('{"a":1}');
    expect(seen.headers?.['jambonz-signature']).toBe('t=1,v1=ab');
    expect(seen.headers?.['content-type']).toBe('application/json');
  });

  it('turns credentials in the URL into Basic auth, unless an Authorization header is given', async () => {
    const auths: Array<string | undefined> = [];
    const url = await start((req, _body, res) => {
      auths.push(req.headers.authorization);
      res.end();
    });
    const withCreds = url.replace('http://', 'http://us%40er:p%3Ass@');
    await make().request({ method: 'GET', url: `${withCreds}/hook`, headers: {} });
    await make().request({
      method: 'GET',
      url: `${withCreds}/hook`,
      headers: { Authorization: 'Basic given' },
    });
    expect(auths[0]).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(auths[1]).toBe('Basic given');
  });

  it('does not follow redirects', async () => {
    const url = await start((_req, _body, res) =>
      res.writeHead(302, { location: '/elsewhere' }).end(),
    );
    expect((await make().request({ method: 'GET', url, headers: {} })).status).toBe(302);
  });

  it('gives up after the timeout, even while the answer is still trickling in', async () => {
    const url = await start((_req, _body, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await make(300)
      .request({ method: 'GET', url, headers: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookCallError);
    expect(err).toMatchObject({ timedOut: true, message: 'timed out' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses an answer larger than the cap', async () => {
    const url = await start((_req, _body, res) =>
      res.end('x'.repeat(MAX_WEBHOOK_ANSWER_BYTES + 1)),
    );
    const err = await make()
      .request({ method: 'GET', url, headers: {} })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ timedOut: false, code: 'ANSWER_TOO_LARGE' });
  });

  it('refuses a chunked answer (no length announced) once it passes the cap', async () => {
    const url = await start((_req, _body, res) => {
      const piece = 'y'.repeat(64 * 1024);
      for (let i = 0; i * piece.length <= MAX_WEBHOOK_ANSWER_BYTES; i++) res.write(piece);
      res.end();
    });
    const err = await make()
      .request({ method: 'GET', url, headers: {} })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ timedOut: false, code: 'ANSWER_TOO_LARGE' });
  });

  it('reads a chunked answer under the cap whole', async () => {
    const url = await start((_req, _body, res) => {
      res.write('{"a":');
      res.end('1}');
    });
    const answer = await make().request({ method: 'GET', url, headers: {} });
    expect(answer).toEqual({ status: 200, body: '{"a":1}' });
  });

  it('names the network error when nothing listens', async () => {
    const url = await start((_req, _body, res) => res.end());
    const server = servers.pop();
    await new Promise((r) => server?.close(r));
    const err = await make()
      .request({ method: 'POST', url, headers: {}, body: '{}' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      timedOut: false,
      code: 'ECONNREFUSED',
      message: 'network error ECONNREFUSED',
    });
  });
});
