import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import {
  asyncDestination,
  createRootLogger,
  requestLogger,
  scrubSecretFields,
  serializeError,
} from './logger-options';
import { requestContextOf } from './request-context';

/** A destination that keeps every line written, parsed. */
function capture(): { lines: Record<string, any>[]; stream: Writable } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

const SID = '2c17b792-47f1-49a0-a56f-211a8a33beab';

describe('asyncDestination', () => {
  it('writes every line whole and in order, multi-byte text included, within its flush period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-log-'));
    const file = join(dir, 'out.log');
    const destination = asyncDestination(openSync(file, 'w'));
    try {
      const logger = createRootLogger('info', destination);
      // Lines of every length, across many 4 kB chunks, with 2-, 3- and 4-byte characters.
      const texts = Array.from({ length: 300 }, (_, i) => `line ${i} é € 😀 ${'x'.repeat(i * 7)}`);
      for (const text of texts) logger.info(text);
      const written = (): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const end = Date.now() + 5000;
      while (written().length < texts.length && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(written().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(texts);
    } finally {
      destination.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('root logger', () => {
  it('writes JSON lines with an ISO time and the level name', () => {
    const { lines, stream } = capture();
    createRootLogger('info', stream).info('hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello' });
    expect(lines[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const logger = createRootLogger('warn', stream);
    logger.info('not written');
    logger.debug('not written');
    logger.warn('written');
    expect(lines.map((l) => l.msg)).toEqual(['written']);
  });

  it('adds messageSid to every line that names a message, with or without an object', () => {
    const { lines, stream } = capture();
    const logger = createRootLogger('info', stream);
    logger.info(`message ${SID}: sent through sandbox`);
    logger.warn({ context: 'Webhooks' }, `delivery 7 of message ${SID} broke`);
    logger.info({ messageSid: 'kept-as-given' }, `message ${SID}: queued`);
    logger.info('nothing about a message');
    expect(lines.map((l) => l.messageSid)).toEqual([SID, SID, 'kept-as-given', undefined]);
    expect(lines[1]).toMatchObject({
      context: 'Webhooks',
      msg: `delivery 7 of message ${SID} broke`,
    });
  });

  it('redacts secret fields at any of the first three levels', () => {
    const { lines, stream } = capture();
    createRootLogger('info', stream).info(
      {
        password: 'pw-top',
        token: 'tok-top',
        account: { webhook_secret: 'whsec-1', name: 'acme' },
        req: { headers: { authorization: 'Bearer adm-1', cookie: 'sid=c-1' } },
        options: { auth: { username: 'u', password: 'pw-deep' }, apiKey: 'key-1' },
      },
      'configuration',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['pw-top', 'tok-top', 'whsec-1', 'adm-1', 'c-1', 'pw-deep', 'key-1']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]!.account.name).toBe('acme');
    expect(lines[0]!.options.auth.username).toBe('u');
  });

  it('leaves the logged object itself untouched, and class instances alone', () => {
    const logged = { options: { auth: { password: 'pw' } }, when: new Date(0) };
    const scrubbed = scrubSecretFields(logged);
    expect(scrubbed.options.auth.password).toBe('[REDACTED]');
    expect(logged.options.auth.password).toBe('pw');
    expect(scrubbed.when).toBe(logged.when);
    const clean = { a: { b: 1 }, list: [{ c: 2 }] };
    expect(scrubSecretFields(clean)).toBe(clean);
    expect(scrubSecretFields([{ token: 't' }])).toEqual([{ token: '[REDACTED]' }]);
  });

  it('logs errors by kind, message, stack and code only, without URL credentials', () => {
    const { lines, stream } = capture();
    const err = Object.assign(new Error('connect to https://user:pw-url@provider.example failed'), {
      code: 'ECONNREFUSED',
      config: { auth: { username: 'u', password: 'pw-axios' }, headers: { Authorization: 'x' } },
    });
    createRootLogger('info', stream).error({ err }, 'send failed');
    const logged = lines[0]!.err;
    expect(logged).toMatchObject({ type: 'Error', code: 'ECONNREFUSED' });
    expect(logged.config).toBeUndefined();
    expect(JSON.stringify(lines[0])).not.toMatch(/pw-url|pw-axios/);
  });

  it('serializes what is not an Error', () => {
    expect(serializeError('plain')).toEqual({ message: 'plain' });
    expect(serializeError({ type: 'TypeError', message: 'x', stack: 's' })).toEqual({
      type: 'TypeError',
      message: 'x',
      stack: 's',
    });
  });
});

describe('request logging', () => {
  let server: Server;
  let base: string;
  let lines: Record<string, any>[];

  beforeEach(async () => {
    const captured = capture();
    lines = captured.lines;
    const logger = createRootLogger('debug', captured.stream);
    const middleware = requestLogger(logger);
    server = createServer((req, res) => {
      middleware(req, res, () => {
        if (req.url === '/hang') {
          // Never answered: the client gives up first.
          logger.info({ reqId: requestContextOf(req)?.reqId }, 'handling /hang');
          return;
        }
        const statuses: Record<string, number> = {
          '/boom': 500,
          '/upstream': 502,
          '/missing': 404,
        };
        const status = statuses[req.url ?? ''] ?? 200;
        // A line logged about the request, after an await, with the id from its context.
        void Promise.resolve().then(() => {
          logger.info({ reqId: requestContextOf(req)?.reqId }, `handling ${(req.url ?? '').split('?')[0]}`);
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end('{}');
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const waitForLines = async (n: number): Promise<void> => {
    for (let i = 0; i < 100 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  };

  const requestLines = (): Record<string, any>[] => lines.filter((l) => l.res !== undefined);

  it("keeps a plain incoming x-request-id, sends it back, puts it on the request line and in the request's context", async () => {
    const res = await fetch(`${base}/v1/things`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    await waitForLines(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reqId: 'abc-123', msg: 'handling /v1/things' });
    expect(lines[1]).toMatchObject({ reqId: 'abc-123', msg: 'GET /v1/things 200', level: 'info' });
  });

  it('logs a request whose client went away before the answer as an error', async () => {
    const controller = new AbortController();
    const pending = fetch(`${base}/hang`, { signal: controller.signal }).catch(() => undefined);
    await waitForLines(1);
    controller.abort();
    await pending;
    await waitForLines(2);
    expect(lines[1]).toMatchObject({
      level: 'error',
      msg: 'GET /hang closed before the answer was sent',
      reqId: lines[0]!.reqId,
    });
  });

  it('generates an id when there is none or it is not plain', async () => {
    const first = await fetch(`${base}/a`);
    const second = await fetch(`${base}/a`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const ids = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('writes one line per request with credentials removed from headers and query', async () => {
    await fetch(`${base}/v1/x?api_key=q-secret&page=2`, {
      headers: {
        authorization: 'Bearer tok-secret',
        cookie: 'session=ck-secret',
        'x-api-key': 'k-secret',
      },
    });
    await waitForLines(2);
    expect(requestLines()).toHaveLength(1);
    const [line] = requestLines();
    const text = JSON.stringify(lines);
    for (const secret of ['q-secret', 'tok-secret', 'ck-secret', 'k-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(line!.req.url).toBe('/v1/x?api_key=[REDACTED]&page=2');
    expect(line!.req.headers.authorization).toBe('[REDACTED]');
    expect(line!.res).toEqual({ statusCode: 200 });
    expect(typeof line!.responseTime).toBe('number');
  });

  it('logs 4xx and upstream 5xx as warn, 500 as error, and probes as debug', async () => {
    await fetch(`${base}/missing`);
    await fetch(`${base}/boom`);
    await fetch(`${base}/upstream`);
    await fetch(`${base}/health/live`);
    await waitForLines(8);
    expect(requestLines().map((l) => [l.msg, l.level])).toEqual([
      ['GET /missing 404', 'warn'],
      ['GET /boom 500', 'error'],
      ['GET /upstream 502', 'warn'],
      ['GET /health/live 200', 'debug'],
    ]);
    // No made-up error with a meaningless stack on 5xx lines.
    expect(requestLines()[1]!.err).toBeUndefined();
  });
});
