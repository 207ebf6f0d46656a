import { HttpStub, json } from '../../../test/utils/http-stub';
import {
  basicCredentials,
  neverAnswer,
  providerFor,
  providerHttpClient,
  recordingLogger,
  refusedUrl,
} from '../../../test/utils/provider-kit';
import { ProviderSendError } from '../plugin-errors';
import { PeerlessPlugin } from './peerless.plugin';

/** Exactly as provider-formats.md shows Peerless posting an inbound SMS. */
const INBOUND_SMS =
  '{"from":"+15083084809","recipients":["+17743008772"],"ccRecipients":[],"text":"Hi there!","mediaURL":null,"contentId":null}';
const USER = 'peerless-user';
const PASSWORD = 'peerless-Pa55:word';

describe('PeerlessPlugin', () => {
  const opts = { logger: recordingLogger() };

  describe('inbound', () => {
    const plugin = new PeerlessPlugin(providerHttpClient());

    it('translates the documented SMS body, stripping every leading +', () => {
      expect(
        plugin.fromProviderFormat(opts, '/v1/messaging/peerless', JSON.parse(INBOUND_SMS)),
      ).toEqual({
        from: '15083084809',
        to: ['17743008772'],
        cc: [],
        text: 'Hi there!',
        media: [],
      });
    });

    it('turns a mediaURL string into the one media entry, and strips + from cc too', async () => {
      const body = {
        ...(JSON.parse(INBOUND_SMS) as object),
        ccRecipients: ['+15085710838'],
        mediaURL: 'https://media.example/cat.jpg',
      };
      const provider = providerFor(plugin, {});
      expect(await provider.translateInbound('/v1/messaging/peerless', body)).toEqual({
        from: '15083084809',
        to: ['17743008772'],
        cc: ['15085710838'],
        text: 'Hi there!',
        media: ['https://media.example/cat.jpg'],
      });
    });

    it('translates the documented body through MessagingProvider.translateInbound', async () => {
      const provider = providerFor(plugin, { url: 'http://unused.example/' });
      expect(
        await provider.translateInbound('/v1/messaging/peerless', JSON.parse(INBOUND_SMS)),
      ).toEqual({ from: '15083084809', to: ['17743008772'], cc: [], text: 'Hi there!', media: [] });
    });

    it('answers the inbound post with a receipt and status accepted', async () => {
      expect(plugin.formatProviderResponse('sid-1')).toEqual({
        receipt: 'sid-1',
        status: 'accepted',
      });
      expect(await providerFor(plugin, {}).inboundResponse('sid-2')).toEqual({
        receipt: 'sid-2',
        status: 'accepted',
      });
    });

    it('refuses a body without from, and recipients that are not a list', async () => {
      const provider = providerFor(plugin, {});
      await expect(provider.translateInbound('/', { recipients: ['+1'] })).rejects.toMatchObject({
        name: 'InboundTranslationError',
        message: expect.stringContaining('"from" is missing'),
      });
      await expect(
        provider.translateInbound('/', { from: '+15083084809', recipients: '+17743008772' }),
      ).rejects.toMatchObject({
        name: 'InboundTranslationError',
        message: expect.stringContaining('"recipients" must be a list'),
      });
    });
  });

  describe('outbound, against a stub playing Peerless', () => {
    const stub = new HttpStub();
    let submitUrl: string;
    beforeAll(async () => {
      await stub.start();
      submitUrl = `${stub.url}/partners/messageReceiving/acct-42/submitMessage`;
    });
    afterAll(() => stub.stop());
    beforeEach(() => {
      stub.requests.length = 0;
      stub.handler = (_req, res) => json(res, 200, { id: 'pl-1', status: 'queued' });
    });

    const provider = (options: Record<string, unknown>, timeoutMs = 1000) =>
      providerFor(new PeerlessPlugin(providerHttpClient(timeoutMs)), options, {
        name: 'peerless',
        timeoutMs,
      });
    const withAuth = () => ({ url: submitUrl, auth: { username: USER, password: PASSWORD } });

    it('POSTs the documented JSON with Basic auth and resolves to the JSON answer', async () => {
      const answer = await provider(withAuth()).send({
        from: '15085710838',
        to: '15083084809',
        text: 'Thank you.',
      });
      expect(answer).toEqual({ id: 'pl-1', status: 'queued' });
      expect(stub.requests).toHaveLength(1);
      const req = stub.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/partners/messageReceiving/acct-42/submitMessage');
      expect([...req.query]).toEqual([]);
      expect(basicCredentials(req.headers.authorization)).toBe(`${USER}:${PASSWORD}`);
      expect(req.headers['content-type']).toMatch(/^application\/json\b/);
      expect(req.raw).toBe(
        '{"from":"+15085710838","recipients":["+15083084809"],"ccRecipients":[],"text":"Thank you."}',
      );
    });

    it('sends no authorization header when the options have no auth', async () => {
      await provider({ url: submitUrl }).send({
        from: '15085710838',
        to: '15083084809',
        text: 'x',
      });
      expect(stub.requests[0]!.headers.authorization).toBeUndefined();
    });

    it('does not double a + the caller already gave', async () => {
      await provider(withAuth()).send({ from: '+15085710838', to: '+15083084809', text: 'x' });
      expect(stub.requests[0]!.json).toMatchObject({
        from: '+15085710838',
        recipients: ['+15083084809'],
      });
    });

    describe('fixes the original plug-in (@jambonz/messaging-peerless 0.0.9)', () => {
      it('puts + on the recipients too, not on from only', async () => {
        await provider(withAuth()).send({ from: '15085710838', to: '15083084809', text: 'x' });
        expect((stub.requests[0]!.json as { recipients: string[] }).recipients).toEqual([
          '+15083084809',
        ]);
      });

      it('sends mediaURL as a string, the shape Peerless uses inbound', async () => {
        await provider(withAuth()).send({
          from: '15085710838',
          to: '15083084809',
          text: 'look',
          media: ['https://media.example/cat.jpg'],
        });
        expect(stub.requests[0]!.raw).toBe(
          '{"from":"+15085710838","recipients":["+15083084809"],"ccRecipients":[],"text":"look",' +
            '"mediaURL":"https://media.example/cat.jpg"}',
        );
      });

      it('rejects when the send fails instead of resolving undefined', async () => {
        stub.handler = (_req, res) => json(res, 503, { error: 'busy' });
        const sent = provider(withAuth()).send({ from: '1', to: '2', text: 'x' });
        await expect(sent).rejects.toBeInstanceOf(ProviderSendError);
      });
    });

    describe('every failure is a ProviderSendError without credentials', () => {
      const noSecret = (err: unknown) => {
        expect(err).toBeInstanceOf(ProviderSendError);
        const text = `${(err as Error).message} ${JSON.stringify(err)}`;
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(USER);
        expect(text).not.toContain('url-secret');
        return err as ProviderSendError;
      };
      const failure = async (options: Record<string, unknown>, timeoutMs = 1000) =>
        noSecret(
          await provider(options, timeoutMs)
            .send({ from: '15085710838', to: '15083084809', text: 'x' })
            .then(
              () => {
                throw new Error('the send succeeded');
              },
              (err: unknown) => err,
            ),
        );

      it('a non-2xx answer, keeping what the provider said', async () => {
        stub.handler = (_req, res) => json(res, 401, { error: 'bad credentials' });
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 401');
        expect(err.providerResponse).toEqual({ error: 'bad credentials' });
        expect(err.timedOut).toBe(false);
      });

      it('a 200 whose body is not JSON', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html>maintenance</html>');
        };
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 200 with a body that is not JSON');
        expect(err.providerResponse).toBe('<html>maintenance</html>');
      });

      it('a provider that never answers, after the timeout', async () => {
        neverAnswer(stub);
        const err = await failure(withAuth(), 300);
        expect(err.timedOut).toBe(true);
        expect(err.message).toMatch(/did not answer in time|timed out after 300 ms/);
      });

      it('a refused connection', async () => {
        const err = await failure({
          url: await refusedUrl('/submit'),
          auth: { username: USER, password: PASSWORD },
        });
        expect(err.message).toBe('the provider could not be reached (ECONNREFUSED)');
      });

      it('a refused connection to a URL holding credentials', async () => {
        const url = (await refusedUrl('/submit')).replace('http://', 'http://urluser:url-secret@');
        const err = await failure({ url });
        expect(err.message).toContain('ECONNREFUSED');
      });

      it('options without a url', async () => {
        const err = await failure({ auth: { username: USER, password: PASSWORD } });
        expect(err.message).toBe('the peerless options have no "url" to send to');
      });
    });
  });
});
