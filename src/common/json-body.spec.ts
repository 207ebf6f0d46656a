import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json } from 'body-parser';
import { plainJsonBody } from './json-body';

/**
 * The fast JSON reader in front of body-parser's, as the gateway mounts them: what comes out is
 * the same as from body-parser alone.
 */
describe('plainJsonBody', () => {
  let server: Server;
  let base: string;
  let seen: { body: unknown; fast: boolean; error?: { status?: number; type?: string } };

  beforeAll(async () => {
    const fast = plainJsonBody('1kb');
    const general = json({ limit: '1kb' });
    server = createServer((req: IncomingMessage & { body?: unknown }, res) => {
      const reply = (err?: unknown): void => {
        const e = err as { status?: number; type?: string } | undefined;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
        seen = {
          ...seen,
          body: req.body,
          ...(e ? { error: { status: e.status, type: e.type } } : {}),
        };
      };
      seen = { body: undefined, fast: false };
      fast(req, res, (err) => {
        seen.fast = err === undefined && req.body !== undefined;
        if (err) return reply(err);
        general(req, res, reply);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const post = async (body: string | Buffer, headers: Record<string, string>): Promise<void> => {
    const res = await fetch(`${base}/`, { method: 'POST', body, headers });
    await res.text();
  };

  it('reads a plain JSON body itself', async () => {
    await post('{"a":[1,"é"]}', { 'content-type': 'application/json; charset=utf-8' });
    expect(seen).toEqual({ body: { a: [1, 'é'] }, fast: true });
  });

  it('drops a leading byte order mark, as body-parser does', async () => {
    await post(Buffer.from('\ufeff{"a":1}', 'utf8'), { 'content-type': 'application/json' });
    expect(seen.body).toEqual({ a: 1 });
  });

  it.each([
    ['malformed JSON', '{"a":'],
    ['a bare number at the top', '42'],
    ['a string at the top', '"x"'],
  ])('refuses %s with entity.parse.failed', async (_name, body) => {
    await post(body, { 'content-type': 'application/json' });
    expect(seen.error).toEqual({ status: 400, type: 'entity.parse.failed' });
  });

  it.each([
    ['another charset', { 'content-type': 'application/json; charset=latin1' }, '{"a":1}'],
    ['a vendor JSON type', { 'content-type': 'application/vnd.api+json' }, '{"a":1}'],
    [
      'a body over the limit',
      { 'content-type': 'application/json' },
      `{"a":"${'x'.repeat(2000)}"}`,
    ],
    ['an empty body', { 'content-type': 'application/json' }, ''],
  ])('leaves %s to body-parser', async (_name, headers, body) => {
    await post(body, headers);
    expect(seen.fast).toBe(false);
  });

  it('gives body-parser the same answers for what it leaves to it', async () => {
    await post(`{"a":"${'x'.repeat(2000)}"}`, { 'content-type': 'application/json' });
    expect(seen.error).toEqual({ status: 413, type: 'entity.too.large' });
  });
});
