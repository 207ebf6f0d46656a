import { HttpStub } from '../../../test/utils/http-stub';
import {
  neverAnswer,
  providerFor,
  providerHttpClient,
  recordingLogger,
  refusedUrl,
} from '../../../test/utils/provider-kit';
import { ProviderSendError } from '../plugin-errors';
import { Com382Plugin, toNorthAmericanNational } from './com382.plugin';

/** Exactly as provider-formats.md shows 382com posting inbound messages. */
const INBOUND_SMS =
  '{"source":"5083084809","destination":"3393646057","type":"sms","message":"Hello there"}';
const INBOUND_MMS =
  '{"source":"5083084809","destination":"3393646057","type":"mms","message":"http://picmsg.org/x.jpg"}';
const USER = 'c382-user';
const PASSWORD = 'c382-pass&word=1';

describe('Com382Plugin', () => {
  describe('inbound', () => {
    const plugin = new Com382Plugin(providerHttpClient());

    it('translates the documented SMS body', () => {
      expect(
        plugin.fromProviderFormat({ logger: recordingLogger() }, '/', JSON.parse(INBOUND_SMS)),
      ).toEqual({
        from: '5083084809',
        to: ['3393646057'],
        cc: [],
        text: 'Hello there',
        media: [],
      });
    });

    it('translates the documented MMS body: the message is the media URL, the text empty', () => {
      expect(
        plugin.fromProviderFormat({ logger: recordingLogger() }, '/', JSON.parse(INBOUND_MMS)),
      ).toEqual({
        from: '5083084809',
        to: ['3393646057'],
        cc: [],
        text: '',
        media: ['http://picmsg.org/x.jpg'],
      });
    });

    it('translates both through MessagingProvider.translateInbound', async () => {
      const provider = providerFor(plugin, {});
      expect(
        await provider.translateInbound('/v1/messaging/382com', JSON.parse(INBOUND_SMS)),
      ).toEqual({ from: '5083084809', to: ['3393646057'], cc: [], text: 'Hello there', media: [] });
      expect(
        await provider.translateInbound('/v1/messaging/382com', JSON.parse(INBOUND_MMS)),
      ).toEqual({
        from: '5083084809',
        to: ['3393646057'],
        cc: [],
        text: '',
        media: ['http://picmsg.org/x.jpg'],
      });
    });

    it('answers the inbound post with {} (it has no formatProviderResponse)', async () => {
      const provider = providerFor(plugin, {});
      expect(provider.capabilities.customInboundResponse).toBe(false);
      expect(await provider.inboundResponse('sid-1')).toEqual({});
    });

    it('refuses a body without source or destination', async () => {
      const provider = providerFor(plugin, {});
      await expect(
        provider.translateInbound('/', { destination: '3393646057' }),
      ).rejects.toMatchObject({
        name: 'InboundTranslationError',
        message: expect.stringContaining('"source" is missing'),
      });
      await expect(provider.translateInbound('/', { source: '5083084809' })).rejects.toMatchObject({
        name: 'InboundTranslationError',
        message: expect.stringContaining('"destination" is missing'),
      });
    });
  });

  describe('outbound, against a stub playing 382com', () => {
    const stub = new HttpStub();
    let sendUrl: string;
    beforeAll(async () => {
      await stub.start();
      sendUrl = `${stub.url}/sendsms.cgi`;
    });
    afterAll(() => stub.stop());
    beforeEach(() => {
      stub.requests.length = 0;
      stub.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK. Message Submitted Successfully');
      };
    });

    const provider = (options: Record<string, unknown>, timeoutMs = 1000) =>
      providerFor(new Com382Plugin(providerHttpClient(timeoutMs)), options, {
        name: '382com',
        timeoutMs,
      });
    const withAuth = () => ({ url: sendUrl, auth: { username: USER, password: PASSWORD } });

    it('GETs the documented query and resolves to the text answer', async () => {
      const answer = await provider(withAuth()).send({
        from: '15085710838',
        to: '15083084809',
        text: 'Thank you.',
      });
      expect(answer).toEqual({ responseText: 'OK. Message Submitted Successfully' });
      expect(stub.requests).toHaveLength(1);
      const req = stub.requests[0]!;
      expect(req.method).toBe('GET');
      expect(req.path).toBe('/sendsms.cgi');
      expect([...req.query]).toEqual([
        ['user', USER],
        ['pass', PASSWORD],
        // 382com numbers are 10-digit North American national numbers.
        ['source', '5085710838'],
        ['destination', '5083084809'],
        ['message', 'Thank you.'],
      ]);
      expect(req.url).toBe(
        '/sendsms.cgi?user=c382-user&pass=c382-pass%26word%3D1&source=5085710838' +
          '&destination=5083084809&message=Thank%20you.',
      );
      expect(req.headers.authorization).toBeUndefined();
      expect(req.headers['content-type']).toBeUndefined();
      expect(req.raw).toBe('');
    });

    it('sends the first media URL as file_url, without message', async () => {
      await provider(withAuth()).send({
        from: '15085710838',
        to: '15083084809',
        media: ['https://media.example/a.jpg?size=2&x=1', 'https://media.example/b.jpg'],
      });
      const req = stub.requests[0]!;
      expect(req.query.get('file_url')).toBe('https://media.example/a.jpg?size=2&x=1');
      expect(req.query.has('message')).toBe(false);
    });

    it('keeps a query the configured url already has', async () => {
      await provider({ ...withAuth(), url: `${sendUrl}?account=77` }).send({
        from: '1',
        to: '2',
        text: 'x',
      });
      expect(stub.requests[0]!.url).toMatch(/^\/sendsms\.cgi\?account=77&user=/);
    });

    describe('fixes the original plug-in (@jambonz/messaging-382com 0.0.2)', () => {
      it('delivers a text holding & = # + intact, each one percent-encoded', async () => {
        await provider(withAuth()).send({
          from: '15085710838',
          to: '15083084809',
          text: 'a&b=c #1 +',
        });
        const req = stub.requests[0]!;
        expect(req.query.get('message')).toBe('a&b=c #1 +');
        expect(req.url.endsWith('&message=a%26b%3Dc%20%231%20%2B')).toBe(true);
        expect(req.query.get('source')).toBe('5085710838');
      });

      it('sends without options.auth instead of crashing', async () => {
        const answer = await provider({ url: sendUrl }).send({
          from: '15085710838',
          to: '15083084809',
          text: 'hi',
        });
        expect(answer).toEqual({ responseText: 'OK. Message Submitted Successfully' });
        const req = stub.requests[0]!;
        expect(req.query.has('user')).toBe(false);
        expect(req.query.has('pass')).toBe(false);
        expect(req.query.get('message')).toBe('hi');
      });

      it('rejects when the send fails instead of resolving undefined', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('ERROR');
        };
        await expect(
          provider(withAuth()).send({ from: '1', to: '2', text: 'x' }),
        ).rejects.toBeInstanceOf(ProviderSendError);
      });
    });

    describe('every failure is a ProviderSendError without credentials', () => {
      const failure = async (options: Record<string, unknown>, timeoutMs = 1000) => {
        const err = await provider(options, timeoutMs)
          .send({ from: '15085710838', to: '15083084809', text: 'x' })
          .then(
            () => {
              throw new Error('the send succeeded');
            },
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(ProviderSendError);
        const text = `${(err as Error).message} ${JSON.stringify(err)}`;
        for (const secret of [USER, PASSWORD, encodeURIComponent(PASSWORD)]) {
          expect(text).not.toContain(secret);
        }
        return err as ProviderSendError;
      };

      it('a non-2xx answer, keeping what the provider said', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(403, { 'content-type': 'text/plain' });
          res.end('Invalid login');
        };
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 403');
        expect(err.providerResponse).toBe('Invalid login');
      });

      it('a 200 whose body is not text', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]));
        };
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 200 with a body that is not text');
      });

      it('a provider that never answers, after the timeout', async () => {
        neverAnswer(stub);
        const err = await failure(withAuth(), 300);
        expect(err.timedOut).toBe(true);
        expect(err.message).toMatch(/did not answer in time|timed out after 300 ms/);
      });

      it('a refused connection', async () => {
        const err = await failure({
          url: await refusedUrl('/sendsms.cgi'),
          auth: { username: USER, password: PASSWORD },
        });
        expect(err.message).toBe('the provider could not be reached (ECONNREFUSED)');
      });

      it('a url that is not a URL', async () => {
        const err = await failure({ url: 'secure1.382com.com/sendsms.cgi' });
        expect(err.message).toBe('the provider "url" is not a valid URL');
      });
    });
  });
});

describe('toNorthAmericanNational', () => {
  it('drops the country code of an 11-digit North American number only', () => {
    expect(toNorthAmericanNational('15085710838')).toBe('5085710838');
    expect(toNorthAmericanNational('5085710838')).toBe('5085710838');
    expect(toNorthAmericanNational('447700900123')).toBe('447700900123');
    expect(toNorthAmericanNational('25085710838')).toBe('25085710838');
  });
});
