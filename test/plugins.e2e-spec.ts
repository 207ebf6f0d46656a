/*
 * The unmodified npm plug-ins (@jambonz/messaging-peerless 0.0.9, -382com 0.0.2, -simwood 0.0.4),
 * loaded as external modules by absolute and by relative path, exactly as an operator would name
 * them in JAMBONES_MESSAGING, and run through the adapter against a stub playing the provider.
 * They use their own HTTP client (bent), so what reaches the stub is what they really send.
 */
import { join } from 'node:path';
import type { MessagingPlugin } from '../src/messaging/messaging-plugin.interface';
import { MessagingProvider } from '../src/messaging/messaging-provider';
import { InboundTranslationError, ProviderSendError } from '../src/messaging/plugin-errors';
import { isBuiltinModule, loadPlugin } from '../src/messaging/plugin-loader';
import { Com382Plugin } from '../src/messaging/plugins/com382.plugin';
import { PeerlessPlugin } from '../src/messaging/plugins/peerless.plugin';
import { SimwoodPlugin } from '../src/messaging/plugins/simwood.plugin';
import { HttpStub, json } from './utils/http-stub';
import {
  basicCredentials,
  neverAnswer,
  providerHttpClient,
  recordingLogger,
  refusedUrl,
  type RecordingLogger,
} from './utils/provider-kit';

const ROOT = join(__dirname, '..');
const http = providerHttpClient();
const TIMEOUT_MS = 400;

/** How an operator may name an installed original: by absolute path or relative to the cwd. */
const WAYS = [
  {
    way: 'absolute path',
    module: (pkg: string) => join(ROOT, 'node_modules', '@jambonz', pkg),
    cwd: ROOT,
  },
  {
    way: 'absolute path to index.js',
    module: (pkg: string) => join(ROOT, 'node_modules', '@jambonz', pkg, 'index.js'),
    cwd: ROOT,
  },
  {
    way: 'relative path',
    module: (pkg: string) => `./node_modules/@jambonz/${pkg}`,
    cwd: ROOT,
  },
  {
    way: 'relative path from another directory',
    module: (pkg: string) => `../node_modules/@jambonz/${pkg}`,
    cwd: join(ROOT, 'test'),
  },
];

interface Loaded {
  provider: MessagingProvider;
  plugin: MessagingPlugin;
  logger: RecordingLogger;
}

function load(
  name: string,
  module: string,
  cwd: string,
  options: Record<string, unknown> = {},
): Loaded {
  const plugin = loadPlugin({ name, module, options }, http, cwd);
  const logger = recordingLogger();
  const provider = new MessagingProvider({
    name,
    module,
    isDefault: true,
    plugin,
    options,
    logger,
    timeoutMs: TIMEOUT_MS,
  });
  return { provider, plugin, logger };
}

async function sendFailure(
  provider: MessagingProvider,
  secrets: string[],
): Promise<ProviderSendError> {
  const err = await provider.send({ from: '15085710838', to: '15083084809', text: 'x' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderSendError);
  const text = `${(err as Error).message} ${JSON.stringify(err)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
  return err as ProviderSendError;
}

const stub = new HttpStub();
beforeAll(() => stub.start());
afterAll(() => stub.stop());
beforeEach(() => {
  stub.requests.length = 0;
  stub.handler = (_req, res) => json(res, 200, { id: 'provider-id-1' });
});

describe.each(WAYS)('the npm originals loaded by $way', ({ module, cwd }) => {
  describe('@jambonz/messaging-peerless', () => {
    const USER = 'pl-user';
    const PASSWORD = 'pl-password';
    const options = () => ({
      url: `${stub.url}/partners/messageReceiving/acct-1/submitMessage`,
      auth: { username: USER, password: PASSWORD },
    });

    it('is the npm module itself, not the built-in port', () => {
      const { plugin } = load('peerless', module('messaging-peerless'), cwd);
      expect(isBuiltinModule(module('messaging-peerless'))).toBe(false);
      expect(plugin).not.toBeInstanceOf(PeerlessPlugin);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(plugin).toBe(require(join(ROOT, 'node_modules/@jambonz/messaging-peerless')));
    });

    it('translates the documented inbound body (two-argument fromProviderFormat)', async () => {
      const { provider } = load('peerless', module('messaging-peerless'), cwd, options());
      const body = JSON.parse(
        '{"from":"+15083084809","recipients":["+17743008772"],"ccRecipients":[],"text":"Hi there!","mediaURL":null,"contentId":null}',
      );
      // The original returns its options merged into the message; none of that passes through.
      expect(await provider.translateInbound('/v1/messaging/peerless', body)).toEqual({
        from: '15083084809',
        to: ['17743008772'],
        cc: [],
        text: 'Hi there!',
        media: [],
      });
      expect(
        await provider.translateInbound('/v1/messaging/peerless', {
          ...body,
          mediaURL: 'https://media.example/cat.jpg',
        }),
      ).toMatchObject({ media: ['https://media.example/cat.jpg'] });
    });

    it('answers the inbound post with its receipt', async () => {
      const { provider } = load('peerless', module('messaging-peerless'), cwd);
      expect(provider.capabilities).toEqual({
        receive: true,
        send: true,
        customInboundResponse: true,
      });
      expect(await provider.inboundResponse('sid-9')).toEqual({
        receipt: 'sid-9',
        status: 'accepted',
      });
    });

    it('POSTs its JSON with Basic auth (+ on from only) and resolves to the answer', async () => {
      const { provider } = load('peerless', module('messaging-peerless'), cwd, options());
      const answer = await provider.send({
        messageSid: 'msg-1',
        from: '15085710838',
        to: '15083084809',
        text: 'Thank you.',
      });
      expect(answer).toEqual({ id: 'provider-id-1' });
      const req = stub.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/partners/messageReceiving/acct-1/submitMessage');
      expect(basicCredentials(req.headers.authorization)).toBe(`${USER}:${PASSWORD}`);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.raw).toBe(
        '{"from":"+15085710838","recipients":["15083084809"],"ccRecipients":[],"text":"Thank you."}',
      );
    });

    it('wraps the media list in another array as mediaURL (its defect, unchanged)', async () => {
      const { provider } = load('peerless', module('messaging-peerless'), cwd, options());
      await provider.send({
        from: '15085710838',
        to: '15083084809',
        text: 'look',
        media: ['https://media.example/cat.jpg'],
      });
      expect(stub.requests[0]!.raw).toBe(
        '{"from":"+15085710838","recipients":["15083084809"],"ccRecipients":[],"text":"look",' +
          '"mediaURL":[["https://media.example/cat.jpg"]]}',
      );
    });

    it('swallows a non-2xx answer and resolves undefined; the adapter makes it a ProviderSendError', async () => {
      stub.handler = (_req, res) => json(res, 500, { error: 'down' });
      const { provider, logger } = load('peerless', module('messaging-peerless'), cwd, options());
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.message).toBe(
        'the peerless plug-in returned no response: the send is not confirmed',
      );
      expect(stub.requests).toHaveLength(1);
      expect(logger.lines.some((l) => l.includes('Error sending SMS to peerless'))).toBe(true);
    });

    it('never answered: the adapter gives up after the timeout', async () => {
      neverAnswer(stub);
      const { provider } = load('peerless', module('messaging-peerless'), cwd, options());
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.timedOut).toBe(true);
      expect(err.message).toBe(`peerless sendSms timed out after ${TIMEOUT_MS} ms`);
    });

    it('a refused connection is swallowed too, and still a ProviderSendError', async () => {
      const { provider } = load('peerless', module('messaging-peerless'), cwd, {
        ...options(),
        url: await refusedUrl('/submit'),
      });
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.message).toContain('returned no response');
    });
  });

  describe('@jambonz/messaging-382com', () => {
    const USER = 'c382user';
    const PASSWORD = 'c382pass';
    const options = () => ({
      url: `${stub.url}/sendsms.cgi`,
      auth: { username: USER, password: PASSWORD },
    });
    beforeEach(() => {
      stub.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK. Message Submitted Successfully');
      };
    });

    it('is the npm module itself, not the built-in port', () => {
      const { plugin } = load('382com', module('messaging-382com'), cwd);
      expect(plugin).not.toBeInstanceOf(Com382Plugin);
      expect(typeof plugin.formatProviderResponse).toBe('undefined');
    });

    it('translates the documented SMS and MMS bodies', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd, options());
      expect(
        await provider.translateInbound(
          '/v1/messaging/382com',
          JSON.parse(
            '{"source":"5083084809","destination":"3393646057","type":"sms","message":"Hello there"}',
          ),
        ),
      ).toEqual({ from: '5083084809', to: ['3393646057'], cc: [], text: 'Hello there', media: [] });
      expect(
        await provider.translateInbound(
          '/v1/messaging/382com',
          JSON.parse(
            '{"source":"5083084809","destination":"3393646057","type":"mms","message":"http://picmsg.org/x.jpg"}',
          ),
        ),
      ).toEqual({
        from: '5083084809',
        to: ['3393646057'],
        cc: [],
        text: '',
        media: ['http://picmsg.org/x.jpg'],
      });
    });

    it('answers the inbound post with {}', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd);
      expect(await provider.inboundResponse('sid-1')).toEqual({});
    });

    it('GETs its encodeURI-built query and resolves to the text answer', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd, options());
      const answer = await provider.send({
        from: '15085710838',
        to: '15083084809',
        text: 'Thank you.',
      });
      expect(answer).toBe('OK. Message Submitted Successfully');
      const req = stub.requests[0]!;
      expect(req.method).toBe('GET');
      expect(req.url).toBe(
        `/sendsms.cgi?user=${USER}&pass=${PASSWORD}&source=15085710838&destination=15083084809&message=Thank%20you.`,
      );
      expect(req.raw).toBe('');
    });

    it('sends the first media URL as file_url when there is no text', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd, options());
      await provider.send({
        from: '15085710838',
        to: '15083084809',
        media: ['https://m.example/a.jpg'],
      });
      expect(stub.requests[0]!.url).toBe(
        `/sendsms.cgi?user=${USER}&pass=${PASSWORD}&source=15085710838&destination=15083084809` +
          '&file_url=https://m.example/a.jpg',
      );
    });

    it('cuts a text holding & and # (its defect, unchanged; the built-in delivers it intact)', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd, options());
      await provider.send({ from: '15085710838', to: '15083084809', text: 'a&b=c #1 +' });
      expect(stub.requests[0]!.query.get('message')).toBe('a');
    });

    it('crashes without options.auth; the adapter makes it a ProviderSendError', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd, {
        url: `${stub.url}/sendsms.cgi`,
      });
      const err = await sendFailure(provider, []);
      expect(err.message).toMatch(/Cannot read properties of undefined \(reading 'username'\)/);
      expect(stub.requests).toHaveLength(0);
    });

    it('swallows a non-2xx answer; the adapter makes it a ProviderSendError', async () => {
      stub.handler = (_req, res) => {
        res.writeHead(401);
        res.end('bad login');
      };
      const { provider } = load('382com', module('messaging-382com'), cwd, options());
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.message).toBe(
        'the 382com plug-in returned no response: the send is not confirmed',
      );
    });

    it('never answered: the adapter gives up after the timeout', async () => {
      neverAnswer(stub);
      const { provider } = load('382com', module('messaging-382com'), cwd, options());
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.timedOut).toBe(true);
    });

    it('a refused connection is swallowed too, and still a ProviderSendError', async () => {
      const { provider } = load('382com', module('messaging-382com'), cwd, {
        ...options(),
        url: await refusedUrl('/sendsms.cgi'),
      });
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.message).toContain('returned no response');
    });
  });

  describe('@jambonz/messaging-simwood', () => {
    const USER = 'sw-account';
    const PASSWORD = 'sw-api-secret';
    const options = () => ({
      url: `${stub.url}/v3/messaging/930001/sms`,
      auth: { username: USER, password: PASSWORD },
    });

    it('is the npm module itself, not the built-in port', () => {
      expect(load('simwood', module('messaging-simwood'), cwd).plugin).not.toBeInstanceOf(
        SimwoodPlugin,
      );
    });

    it('translates the documented inbound body; the missing cc and media become empty lists', async () => {
      const { provider } = load('simwood', module('messaging-simwood'), cwd, options());
      const body = JSON.parse(
        '{"app":"sms_inbound","id":"9a171a847f3238d8e3b33120d2a","data":{"destination":"15085710838","length":8,"message":"Hi there","originator":"15083084809","time":"2020-10-06 20:36:05"}}',
      );
      expect(await provider.translateInbound('/v1/messaging/simwood', body)).toEqual({
        from: '15083084809',
        to: ['15085710838'],
        cc: [],
        text: 'Hi there',
        media: [],
      });
    });

    it('crashes on a body without data; the adapter makes it an InboundTranslationError', async () => {
      const { provider } = load('simwood', module('messaging-simwood'), cwd, options());
      const err = await provider.translateInbound('/', { app: 'sms_inbound' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InboundTranslationError);
      expect((err as Error).message).toMatch(/^the simwood plug-in could not read the body: /);
      expect((err as Error).message).not.toContain(PASSWORD);
    });

    it('POSTs its JSON with Basic auth, dropping the media (its defect, unchanged)', async () => {
      const { provider } = load('simwood', module('messaging-simwood'), cwd, options());
      const answer = await provider.send({
        from: '15085710838',
        to: '15083084809',
        text: 'Thank you.',
        media: ['https://m.example/a.jpg'],
      });
      expect(answer).toEqual({ id: 'provider-id-1' });
      const req = stub.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/v3/messaging/930001/sms');
      expect(basicCredentials(req.headers.authorization)).toBe(`${USER}:${PASSWORD}`);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.raw).toBe(
        '{"from":"15085710838","to":"15083084809","cc":[],"message":"Thank you.","media":[]}',
      );
    });

    it('swallows a non-2xx answer; the adapter makes it a ProviderSendError', async () => {
      stub.handler = (_req, res) => json(res, 403, { error: 'forbidden' });
      const { provider } = load('simwood', module('messaging-simwood'), cwd, options());
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.message).toBe(
        'the simwood plug-in returned no response: the send is not confirmed',
      );
    });

    it('swallows a 200 that is not JSON; the adapter makes it a ProviderSendError', async () => {
      stub.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>');
      };
      const { provider } = load('simwood', module('messaging-simwood'), cwd, options());
      const err = await sendFailure(provider, [USER, PASSWORD]);
      expect(err.message).toContain('returned no response');
    });

    it('never answered: the adapter gives up after the timeout', async () => {
      neverAnswer(stub);
      const { provider } = load('simwood', module('messaging-simwood'), cwd, options());
      expect((await sendFailure(provider, [USER, PASSWORD])).timedOut).toBe(true);
    });

    it('a refused connection is swallowed too, and still a ProviderSendError', async () => {
      const { provider } = load('simwood', module('messaging-simwood'), cwd, {
        ...options(),
        url: await refusedUrl('/sms'),
      });
      expect((await sendFailure(provider, [USER, PASSWORD])).message).toContain(
        'returned no response',
      );
    });
  });
});

describe('a plug-in written from the seed contract (plain JS, async, three-argument)', () => {
  const options = () => ({ url: `${stub.url}/acme/send`, apiKey: 'acme-api-key-1' });

  it('translates with the url it is given and keeps only the standard fields', async () => {
    const { provider } = load(
      'acme',
      './seed-contract.js',
      join(ROOT, 'test/fixtures/plugins'),
      options(),
    );
    expect(
      await provider.translateInbound('/v1/messaging/acme', {
        id: 'acme-77',
        sender: '15083084809',
        receivers: ['15085710838'],
        body: 'Hi',
      }),
    ).toEqual({
      messageSid: 'acme-77',
      from: '15083084809',
      to: ['15085710838'],
      cc: [],
      text: 'Hi',
      media: [],
    });
    expect(await provider.inboundResponse('sid-3')).toEqual({ acknowledged: 'sid-3' });
  });

  it('sends with its own HTTP call and the logger it was given', async () => {
    const { provider, logger } = load(
      'acme',
      join(ROOT, 'test/fixtures/plugins/seed-contract.js'),
      ROOT,
      options(),
    );
    expect(
      await provider.send({ from: '15085710838', to: '15083084809', text: 'Thank you.' }),
    ).toEqual({ id: 'provider-id-1' });
    const req = stub.requests[0]!;
    expect(req.path).toBe('/acme/send');
    expect(req.headers['x-api-key']).toBe('acme-api-key-1');
    expect(req.raw).toBe('{"sender":"15085710838","receiver":"15083084809","body":"Thank you."}');
    expect(logger.lines).toEqual([expect.stringContaining('sent through Acme')]);
  });

  it('a failure it throws is a ProviderSendError', async () => {
    stub.handler = (_req, res) => json(res, 502, {});
    const { provider } = load('acme', './test/fixtures/plugins/seed-contract.js', ROOT, options());
    expect((await sendFailure(provider, ['acme-api-key-1'])).message).toBe('Acme answered 502');
  });
});
