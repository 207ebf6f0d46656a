import { connect } from 'node:net';
import fc from 'fast-check';
import { ADMIN_KEY } from './utils/create-app';
import { api } from './utils/api';
import { startGateway, type GatewayProcess } from './utils/gateway-process';
import { createTestDatabase, type TestDatabase } from './utils/test-database';
import {
  ANSWER_DEADLINE_MS,
  assertRefusal,
  badPathParam,
  fuzzParams,
  garbageBody,
  garbageHeaders,
  nastyString,
  rawRequest,
  type RawRequest,
} from './fixtures/fuzz-kit';

/** Writes `bytes` on a fresh connection and returns everything the gateway answers until it closes. */
function rawExchange(baseUrl: string, bytes: string | Buffer): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no answer within ${ANSWER_DEADLINE_MS} ms to ${JSON.stringify(String(bytes).slice(0, 200))}`,
        ),
      );
    }, ANSWER_DEADLINE_MS);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is all that is wanted; keep-alive may leave the connection open.
      const text = Buffer.concat(chunks).toString('utf8');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length:\s*(\d+)/i.exec(text)?.[1];
      if (
        head >= 0 &&
        length !== undefined &&
        Buffer.byteLength(text) >= head + 4 + Number(length)
      ) {
        socket.destroy();
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

function parseRawAnswer(raw: string): { status: number; contentType: string; body: string } {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0),
    contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1] ?? '',
    body: raw.slice(raw.indexOf('\r\n\r\n') + 4),
  };
}

/**
 * Bad input below and around the routes, against the built gateway in its own process: requests
 * that are not HTTP, oversized request lines and headers, unknown paths and methods, garbage on
 * every route. Every answer is a 4xx JSON {msg}, and the process is still up and healthy after.
 */
describe('fuzz: the HTTP layer of the built gateway', () => {
  let gateway: GatewayProcess;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startGateway({
      DATABASE_URL: db.url,
      ADMIN_API_KEY: ADMIN_KEY,
      JAMBONES_MESSAGING: JSON.stringify({
        peerless: { module: 'peerless', options: { url: 'http://127.0.0.1:9/unused' } },
      }),
    });
  });

  afterAll(async () => {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    await db.drop();
  });

  afterEach(async () => {
    expect(gateway.child.exitCode).toBeNull();
    const health = await api(gateway.baseUrl, 'GET', '/health', undefined, null);
    expect(health.status).toBe(200);
  });

  it('what is not HTTP gets a 4xx JSON {msg} and a closed connection', async () => {
    const lines = fc.oneof(
      fc.constantFrom(
        'GARBAGE\r\n\r\n',
        'CONNECT /v1/Accounts HTTP/1.1\r\nHost: x\r\n\r\n',
        'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n',
        'GET /v1/Accounts HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
        'GET\r\n\r\n',
        'FOO /health HTTP/1.1\r\nHost: x\r\n\r\n',
        'GET /health HTTP/9.9\r\nHost: x\r\n\r\n',
        'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
        'POST /v1/Accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
        'POST /v1/Accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'GET /health HTTP/1.1\r\nBad Header\r\n\r\n',
        'GET /he\u0000alth HTTP/1.1\r\nHost: x\r\n\r\n',
        `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      ),
      fc
        .string({ unit: 'binary', minLength: 1, maxLength: 200 })
        // Empty lines before a request line are allowed by HTTP/1.1: a server rightly waits on.
        .filter((s) => /[^\r\n]/.test(s))
        .map((s) => `${s}\r\n\r\n`),
    );
    await fc.assert(
      fc.asyncProperty(lines, async (bytes) => {
        const raw = await rawExchange(gateway.baseUrl, bytes);
        const answer = parseRawAnswer(raw);
        // A line that happens to parse as HTTP reaches the routes; it must then be refused as well.
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.contentType).toContain('application/json');
        expect(typeof (JSON.parse(answer.body) as { msg?: unknown }).msg).toBe('string');
      }),
      {
        ...fuzzParams<[string]>(100),
        // Node answers none of these by itself: each must always be tried.
        examples: [
          ['CONNECT /v1/Accounts HTTP/1.1\r\nHost: x\r\n\r\n'],
          [`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
          ['GARBAGE\r\n\r\n'],
        ],
      },
    );
  }, 60_000);

  it('unknown paths, with any method and body, get a 4xx JSON {msg}', async () => {
    const paths = fc.oneof(
      badPathParam.map((p) => `/${p}`),
      badPathParam.map((p) => `/v1/${p}`),
      badPathParam.map((p) => `/v1/Accounts/${p}/Nope`),
      fc.constantFrom(
        '/v1',
        '/v2/Accounts',

        '//v1//Accounts',
        '/v1/Accounts/../..',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/*',
        '/health/x',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        paths,
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'),
        garbageBody,
        garbageHeaders,
        fc.boolean(),
        async (path, method, body, headers, withKey) => {
          const req: RawRequest = {
            method,
            path,
            headers: { ...headers, ...(withKey ? { authorization: `Bearer ${ADMIN_KEY}` } : {}) },
            body,
          };
          assertRefusal(await rawRequest(gateway.baseUrl, req), req);
        },
      ),
      fuzzParams(150),
    );
  }, 60_000);

  it('odd Authorization headers are refused with 401 {msg}, never an error', async () => {
    const headerValue = fc.oneof(
      // Up to what Node takes in headers; past it the answer is 431 (see the test above).
      nastyString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').slice(0, 8000)),
      fc.constantFrom(
        'Bearer',
        'Bearer ',
        'Basic Zm9vOmJhcg==',
        'bearer  x',
        `Bearer ${ADMIN_KEY} extra`,
        `Bearer ${ADMIN_KEY.slice(0, -1)}`,
        `Token ${ADMIN_KEY}`,
        `Bearer ${'x'.repeat(8000)}`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        headerValue,
        fc.constantFrom(
          '/v1/Accounts',
          '/v1/ApiKeys',
          '/v1/Applications',
          '/v1/PhoneNumbers',
          '/v1/MessagingProviders',
        ),
        async (authorization, path) => {
          const req: RawRequest = { method: 'GET', path, headers: { authorization } };
          const answer = await rawRequest(gateway.baseUrl, req);
          assertRefusal(answer, req);
          expect(answer.status).toBe(401);
        },
      ),
      fuzzParams(100),
    );
  }, 60_000);
});
