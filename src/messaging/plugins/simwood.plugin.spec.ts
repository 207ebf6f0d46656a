import { HttpStub, json } from '../../../test/utils/http-stub';
import {
  basicCredentials,
  neverAnswer,
  providerFor,
  providerHttpClient,
  recordingLogger,
  refusedUrl,
} from '../../../test/utils/provider-kit';
import { InboundTranslationError, ProviderSendError } from '../plugin-errors';
import { SimwoodPlugin } from './simwood.plugin';

/** Exactly as provider-formats.md shows Simwood posting an inbound SMS. */
const INBOUND_SMS =
  '{"app":"sms_inbound","id":"9a171a847f3238d8e3b33120d2a","data":{"destination":"15085710838","length":8,"message":"Hi there","originator":"15083084809","time":"2020-10-06 20:36:05"}}';
const USER = 'simwood-account';
const PASSWORD = 'simwood-api-secret';

describe('SimwoodPlugin', () => {
  describe('inbound', () => {
    const plugin = new SimwoodPlugin(providerHttpClient());

    it('translates the documented sms_inbound body', () => {
      expect(
        plugin.fromProviderFormat({ logger: recordingLogger() }, '/', JSON.parse(INBOUND_SMS)),
      ).toEqual({
        from: '15083084809',
        to: ['15085710838'],
        cc: [],
        text: 'Hi there',
        media: [],
      });
    });

    it('translates it through MessagingProvider.translateInbound', async () => {
      expect(
        await providerFor(plugin, {}).translateInbound(
          '/v1/messaging/simwood',
          JSON.parse(INBOUND_SMS),
        ),
      ).toEqual({ from: '15083084809', to: ['15085710838'], cc: [], text: 'Hi there', media: [] });
    });

    it('answers the inbound post with {}', async () => {
      expect(await providerFor(plugin, {}).inboundResponse('sid-1')).toEqual({});
    });

    describe('fixes the original plug-in (@jambonz/messaging-simwood 0.0.4)', () => {
      it('a body without data is a clear InboundTranslationError, not a crash', async () => {
        const provider = providerFor(plugin, {}, { name: 'simwood' });
        const withoutData = { app: 'sms_inbound', id: '9a171a847f3238d8e3b33120d2a' };
        const err = await provider.translateInbound('/v1/messaging/simwood', withoutData).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InboundTranslationError);
        expect((err as Error).message).toBe(
          'the simwood plug-in could not read the body: "data" is missing',
        );
        await expect(provider.translateInbound('/', undefined)).rejects.toBeInstanceOf(
          InboundTranslationError,
        );
        await expect(provider.translateInbound('/', { data: 'x' })).rejects.toBeInstanceOf(
          InboundTranslationError,
        );
      });
    });

    it('refuses data without originator or destination', async () => {
      const provider = providerFor(plugin, {});
      await expect(
        provider.translateInbound('/', { data: { destination: '15085710838', message: 'x' } }),
      ).rejects.toThrow('"data.originator" is missing');
      await expect(
        provider.translateInbound('/', { data: { originator: '15083084809', message: 'x' } }),
      ).rejects.toThrow('"data.destination" is missing');
    });
  });

  describe('outbound, against a stub playing Simwood', () => {
    const stub = new HttpStub();
    let smsUrl: string;
    beforeAll(async () => {
      await stub.start();
      smsUrl = `${stub.url}/v3/messaging/930001/sms`;
    });
    afterAll(() => stub.stop());
    beforeEach(() => {
      stub.requests.length = 0;
      stub.handler = (_req, res) => json(res, 200, { success: true, id: 'sw-1' });
    });

    const provider = (options: Record<string, unknown>, timeoutMs = 1000) =>
      providerFor(new SimwoodPlugin(providerHttpClient(timeoutMs)), options, {
        name: 'simwood',
        timeoutMs,
      });
    const withAuth = () => ({ url: smsUrl, auth: { username: USER, password: PASSWORD } });

    it('POSTs the documented JSON with Basic auth and resolves to the JSON answer', async () => {
      const answer = await provider(withAuth()).send({
        from: '15085710838',
        to: '15083084809',
        text: 'Thank you.',
      });
      expect(answer).toEqual({ success: true, id: 'sw-1' });
      const req = stub.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/v3/messaging/930001/sms');
      expect([...req.query]).toEqual([]);
      expect(basicCredentials(req.headers.authorization)).toBe(`${USER}:${PASSWORD}`);
      expect(req.headers['content-type']).toMatch(/^application\/json\b/);
      expect(req.raw).toBe(
        '{"from":"15085710838","to":"15083084809","cc":[],"message":"Thank you.","media":[]}',
      );
    });

    describe('fixes the original plug-in (@jambonz/messaging-simwood 0.0.4)', () => {
      it('sends the media instead of dropping it', async () => {
        await provider(withAuth()).send({
          from: '15085710838',
          to: '15083084809',
          text: 'look',
          media: ['https://media.example/a.jpg', 'https://media.example/b.jpg'],
        });
        expect(stub.requests[0]!.raw).toBe(
          '{"from":"15085710838","to":"15083084809","cc":[],"message":"look",' +
            '"media":["https://media.example/a.jpg","https://media.example/b.jpg"]}',
        );
      });

      it('rejects when the send fails instead of resolving undefined', async () => {
        stub.handler = (_req, res) => json(res, 500, { error: 'oops' });
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
        expect(text).not.toContain(USER);
        expect(text).not.toContain(PASSWORD);
        return err as ProviderSendError;
      };

      it('a non-2xx answer, keeping what the provider said', async () => {
        stub.handler = (_req, res) => json(res, 400, { error: 'invalid destination' });
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 400');
        expect(err.providerResponse).toEqual({ error: 'invalid destination' });
      });

      it('a redirect is not followed and is a failure', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
          res.end();
        };
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 302');
        expect(stub.requests).toHaveLength(1);
      });

      it('a 200 whose body is not JSON', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"success": tru');
        };
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 200 with a body that is not JSON');
        expect(err.providerResponse).toBe('{"success": tru');
      });

      it('a 200 with an empty body', async () => {
        stub.handler = (_req, res) => {
          res.writeHead(200);
          res.end();
        };
        const err = await failure(withAuth());
        expect(err.message).toBe('the provider answered HTTP 200 with a body that is not JSON');
      });

      it('a provider that never answers, after the timeout', async () => {
        neverAnswer(stub);
        const err = await failure(withAuth(), 300);
        expect(err.timedOut).toBe(true);
        expect(err.message).toMatch(/did not answer in time|timed out after 300 ms/);
      });

      it('a refused connection', async () => {
        const err = await failure({
          url: await refusedUrl('/v3/messaging/930001/sms'),
          auth: { username: USER, password: PASSWORD },
        });
        expect(err.message).toBe('the provider could not be reached (ECONNREFUSED)');
      });
    });
  });
});
