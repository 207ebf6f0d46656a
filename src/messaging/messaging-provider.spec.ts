import { recordingLogger } from '../../test/utils/provider-kit';
import type {
  MessagingPlugin,
  PluginOptions,
  StandardOutboundMessage,
} from './messaging-plugin.interface';
import { MessagingProvider } from './messaging-provider';
import { InboundTranslationError, ProviderSendError } from './plugin-errors';

const MESSAGE = { from: '15083084809', to: ['15085710838'], cc: [], text: 'Hi', media: [] };
const OUTBOUND: StandardOutboundMessage = {
  from: '15085710838',
  to: '15083084809',
  text: 'Thank you.',
};

/** A plug-in as plain JavaScript would give it: no class, no types. */
function plugin(parts: Partial<Record<keyof MessagingPlugin, unknown>>): MessagingPlugin {
  return {
    fromProviderFormat: () => MESSAGE,
    sendSms: () => ({ ok: true }),
    ...parts,
  } as unknown as MessagingPlugin;
}

function provider(
  p: MessagingPlugin,
  options: Record<string, unknown> = {},
  timeoutMs = 1000,
  name = 'acme',
): MessagingProvider {
  return new MessagingProvider({
    name,
    module: 'acme-module',
    isDefault: false,
    plugin: p,
    options,
    logger: recordingLogger(),
    timeoutMs,
  });
}

const never = (): Promise<never> => new Promise<never>(() => undefined);

async function sendError(p: MessagingProvider): Promise<ProviderSendError> {
  const err = await p.send(OUTBOUND).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderSendError);
  return err as ProviderSendError;
}

describe('MessagingProvider', () => {
  describe('fromProviderFormat', () => {
    it('declared with two parameters, is called with (opts, payload)', async () => {
      const calls: unknown[][] = [];
      const p = plugin({
        fromProviderFormat: function (opts: unknown, payload: unknown) {
          // eslint-disable-next-line prefer-rest-params -- what the adapter really passed
          calls.push([...arguments]);
          return { ...MESSAGE, text: (payload as { t: string }).t, opts };
        },
      });
      const result = await provider(p, { url: 'http://x.example' }).translateInbound(
        '/v1/messaging/acme',
        {
          t: 'two',
        },
      );
      expect(result.text).toBe('two');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toHaveLength(2);
      expect(calls[0]![0]).toMatchObject({ url: 'http://x.example' });
      expect(calls[0]![1]).toEqual({ t: 'two' });
    });

    it('declared with three parameters, is called with (opts, url, payload)', async () => {
      const calls: unknown[][] = [];
      const p = plugin({
        fromProviderFormat: function (_opts: unknown, url: string, payload: unknown) {
          // eslint-disable-next-line prefer-rest-params -- what the adapter really passed
          calls.push([...arguments]);
          return { ...MESSAGE, text: `${url} ${(payload as { t: string }).t}` };
        },
      });
      const result = await provider(p, { url: 'http://x.example' }).translateInbound(
        '/v1/messaging/acme',
        {
          t: 'three',
        },
      );
      expect(result.text).toBe('/v1/messaging/acme three');
      expect(calls[0]).toHaveLength(3);
      expect(calls[0]![0]).toMatchObject({ url: 'http://x.example' });
      expect(calls[0]![1]).toBe('/v1/messaging/acme');
      expect(calls[0]![2]).toEqual({ t: 'three' });
    });

    it('may be async', async () => {
      const p = plugin({
        fromProviderFormat: async (_o: unknown, _u: string, _p: unknown) => MESSAGE,
      });
      expect(await provider(p).translateInbound('/', {})).toEqual(MESSAGE);
    });

    it('keeps only the standard fields, whatever else the plug-in returns', async () => {
      // The published plug-ins return Object.assign({}, opts, message): options and all.
      const p = plugin({
        fromProviderFormat: (opts: PluginOptions) => ({ ...opts, ...MESSAGE, messageSid: 'm-1' }),
      });
      const result = await provider(p, {
        auth: { username: 'u', password: 'secret-pw' },
      }).translateInbound('/', {});
      expect(result).toEqual({ ...MESSAGE, messageSid: 'm-1' });
    });

    it('reads a single number or media URL as a one-entry list, and null as none', async () => {
      const p = plugin({
        fromProviderFormat: () => ({
          from: '1',
          to: '2',
          cc: null,
          text: null,
          media: 'http://m/x',
        }),
      });
      expect(await provider(p).translateInbound('/', {})).toEqual({
        from: '1',
        to: ['2'],
        cc: [],
        text: '',
        media: ['http://m/x'],
      });
    });

    it.each([
      [
        'throws',
        () => {
          throw new Error('bad body');
        },
        'could not read the body: bad body',
      ],
      [
        'rejects',
        () => Promise.reject(new Error('bad async body')),
        'could not read the body: bad async body',
      ],
      ['returns nothing', () => undefined, 'found no message in the body'],
      ['returns a string', () => 'x', 'found no message in the body'],
      ['yields no from', () => ({ to: ['1'] }), 'the message has no "from" number'],
      [
        'yields an empty from',
        () => ({ from: ' ', to: ['1'] }),
        'the message has no "from" number',
      ],
      ['yields no to', () => ({ from: '1' }), 'the message has no "to" number'],
      ['yields an empty to', () => ({ from: '1', to: [] }), 'the message has no "to" number'],
      [
        'yields a cc of numbers',
        () => ({ from: '1', to: ['2'], cc: [3] }),
        '"cc" is not a list of numbers',
      ],
      [
        'yields media of objects',
        () => ({ from: '1', to: ['2'], media: [{}] }),
        '"media" is not a list of URLs',
      ],
      [
        'yields a text that is a number',
        () => ({ from: '1', to: ['2'], text: 5 }),
        '"text" is not a string',
      ],
    ])('a plug-in that %s gives an InboundTranslationError', async (_what, fn, message) => {
      const err = await provider(plugin({ fromProviderFormat: fn }))
        .translateInbound('/', {})
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(InboundTranslationError);
      expect((err as Error).message).toContain(message);
    });

    it('is bounded by the timeout', async () => {
      const p = plugin({ fromProviderFormat: never });
      await expect(provider(p, {}, 50).translateInbound('/', {})).rejects.toMatchObject({
        name: 'InboundTranslationError',
        message: expect.stringContaining('acme fromProviderFormat timed out after 50 ms'),
      });
    });
  });

  describe('formatProviderResponse', () => {
    it('is optional: without it the answer is {}', async () => {
      const p = provider(plugin({}));
      expect(p.capabilities.customInboundResponse).toBe(false);
      expect(await p.inboundResponse('sid-1')).toEqual({});
    });

    it('may be sync or async, and is given the message sid', async () => {
      const sync = provider(
        plugin({ formatProviderResponse: (sid: string) => ({ receipt: sid }) }),
      );
      const async = provider(
        plugin({ formatProviderResponse: async (sid: string) => ({ r: sid }) }),
      );
      expect(sync.capabilities.customInboundResponse).toBe(true);
      expect(await sync.inboundResponse('sid-1')).toEqual({ receipt: 'sid-1' });
      expect(await async.inboundResponse('sid-2')).toEqual({ r: 'sid-2' });
    });

    it('answers {} when it returns nothing, throws, or never returns', async () => {
      const empty = provider(plugin({ formatProviderResponse: () => undefined }));
      const throwing = provider(
        plugin({
          formatProviderResponse: () => {
            throw new Error('x');
          },
        }),
      );
      const hanging = provider(plugin({ formatProviderResponse: never }), {}, 50);
      expect(await empty.inboundResponse('s')).toEqual({});
      expect(await throwing.inboundResponse('s')).toEqual({});
      expect(await hanging.inboundResponse('s')).toEqual({});
    });
  });

  describe('sendSms', () => {
    it('is called with (opts, message) and may be sync or async', async () => {
      const seen: unknown[][] = [];
      const sync = provider(
        plugin({ sendSms: (opts: unknown, msg: unknown) => (seen.push([opts, msg]), { id: 's' }) }),
        { url: 'http://p.example' },
      );
      const async = provider(plugin({ sendSms: async () => ({ id: 'a' }) }));
      expect(await sync.send(OUTBOUND)).toEqual({ id: 's' });
      expect(await async.send(OUTBOUND)).toEqual({ id: 'a' });
      expect(seen[0]![0]).toMatchObject({ url: 'http://p.example' });
      expect(seen[0]![1]).toEqual(OUTBOUND);
    });

    it('a plug-in that throws is a ProviderSendError with its message', async () => {
      const err = await sendError(
        provider(
          plugin({
            sendSms: () => {
              throw new Error('no route');
            },
          }),
        ),
      );
      expect(err.message).toBe('no route');
      expect(err.timedOut).toBe(false);
    });

    it('a plug-in that rejects is a ProviderSendError, keeping a providerResponse it attached', async () => {
      const failure = Object.assign(new Error('refused by provider'), {
        providerResponse: { code: 21 },
      });
      const err = await sendError(provider(plugin({ sendSms: () => Promise.reject(failure) })));
      expect(err.message).toBe('refused by provider');
      expect(err.providerResponse).toEqual({ code: 21 });
    });

    it.each([
      ['a string', 'boom', 'boom'],
      ['an object', { status: 500 }, '{"status":500}'],
      ['nothing', undefined, 'failed without a reason'],
    ])(
      'a plug-in that rejects with %s is a ProviderSendError saying so',
      async (_w, reason, text) => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- plain JS plug-ins do
        const err = await sendError(provider(plugin({ sendSms: () => Promise.reject(reason) })));
        expect(err.message).toBe(text);
      },
    );

    it('a plug-in that resolves undefined (the published ones swallow errors) is a failure', async () => {
      const err = await sendError(provider(plugin({ sendSms: async () => undefined })));
      expect(err.message).toBe('the acme plug-in returned no response: the send is not confirmed');
    });

    it('a plug-in that never settles is a ProviderSendError with timedOut after timeoutMs', async () => {
      const err = await sendError(provider(plugin({ sendSms: never }), {}, 50));
      expect(err.timedOut).toBe(true);
      expect(err.message).toBe('acme sendSms timed out after 50 ms');
    });

    it('keeps only the first line of an error, without configured secrets or URL credentials', async () => {
      const options = {
        url: 'https://api.example/send?api_key=query-key-1',
        auth: { username: 'user1', password: 'pass-word-1' },
        token: 'token-value-1',
      };
      const err = await sendError(
        provider(
          plugin({
            sendSms: () => {
              throw new Error(
                'login pass-word-1 refused at https://user1:pass-word-1@api.example/send?api_key=query-key-1 ' +
                  'with token-value-1\n    at sendSms (/plugin/index.js:1:1)',
              );
            },
          }),
          options,
        ),
      );
      expect(err.message).not.toMatch(/pass-word-1|query-key-1|token-value-1|index\.js/);
      expect(err.message).toContain(
        'login [REDACTED] refused at https://[REDACTED]@api.example/send',
      );
    });
  });

  it('takes configured secrets out of the provider answer, on success and on failure', async () => {
    const options = {
      url: 'https://api.example/send',
      auth: { username: 'u', password: 'echoed-pass' },
    };
    const echo = { request: 'user=u&pass=echoed-pass', list: ['echoed-pass'], status: 1 };
    const ok = provider(plugin({ sendSms: () => echo }), options);
    expect(await ok.send(OUTBOUND)).toEqual({
      request: 'user=u&pass=[REDACTED]',
      list: ['[REDACTED]'],
      status: 1,
    });
    const failure = Object.assign(new Error('refused'), { providerResponse: echo.request });
    const err = await sendError(
      provider(plugin({ sendSms: () => Promise.reject(failure) }), options),
    );
    expect(err.providerResponse).toBe('user=u&pass=[REDACTED]');
  });

  describe('options', () => {
    it('hands the plug-in its options plus a logger with info, debug and error', async () => {
      let seen: PluginOptions | undefined;
      const p = provider(plugin({ sendSms: (opts: PluginOptions) => ((seen = opts), { ok: 1 }) }), {
        url: 'http://p.example',
        region: 'eu',
      });
      await p.send(OUTBOUND);
      expect(seen).toMatchObject({ url: 'http://p.example', region: 'eu' });
      for (const level of ['info', 'debug', 'error'] as const) {
        expect(typeof seen!.logger[level]).toBe('function');
      }
      expect(() => seen!.logger.info({ a: 1 }, 'hello')).not.toThrow();
    });

    it('two providers of one plug-in keep their own options, even when the plug-in changes them', async () => {
      const shared = plugin({
        sendSms: (opts: PluginOptions) => {
          const auth = opts.auth as { username: string; password: string };
          const answer = { url: opts.url, username: auth.username, password: auth.password };
          opts.url = 'http://changed.example';
          auth.password = 'changed';
          return answer;
        },
      });
      const configured = { url: 'http://a.example', auth: { username: 'ua', password: 'pa' } };
      const a = provider(shared, configured, 1000, 'a');
      const b = provider(
        shared,
        { url: 'http://b.example', auth: { username: 'ub', password: 'pb' } },
        1000,
        'b',
      );
      expect(await a.send(OUTBOUND)).toEqual({
        url: 'http://a.example',
        username: 'ua',
        password: 'pa',
      });
      expect(await b.send(OUTBOUND)).toEqual({
        url: 'http://b.example',
        username: 'ub',
        password: 'pb',
      });
      // The configuration given to the provider is not the object the plug-in changed.
      expect(configured).toEqual({
        url: 'http://a.example',
        auth: { username: 'ua', password: 'pa' },
      });
      expect(a.redactedOptions()).toEqual({
        url: 'http://a.example',
        auth: { username: 'ua', password: '[REDACTED]' },
      });
    });

    it('redactedOptions hides secret fields and URL credentials, and leaves the rest', () => {
      const p = provider(plugin({}), {
        url: 'https://acct:url-pass@api.example/v3/sms?api_key=q-secret&region=eu',
        auth: { username: 'user', password: 'pw' },
        password: 'p1',
        token: 't1',
        clientSecret: 's1',
        api_key: 'k1',
        apiKey: 'k2',
        accessKey: 'k3',
        key: 'k4',
        nested: { authToken: 't2', list: [{ secret: 's2' }], webhook: 'http://u:p@hook.example/' },
        from: '15085710838',
        timeout: 5,
      });
      const shown = p.redactedOptions();
      expect(shown).toEqual({
        url: 'https://[REDACTED]@api.example/v3/sms?api_key=[REDACTED]&region=eu',
        auth: { username: 'user', password: '[REDACTED]' },
        password: '[REDACTED]',
        token: '[REDACTED]',
        clientSecret: '[REDACTED]',
        api_key: '[REDACTED]',
        apiKey: '[REDACTED]',
        accessKey: '[REDACTED]',
        key: '[REDACTED]',
        nested: {
          authToken: '[REDACTED]',
          list: [{ secret: '[REDACTED]' }],
          webhook: 'http://[REDACTED]@hook.example/',
        },
        from: '15085710838',
        timeout: 5,
      });
      expect(JSON.stringify(shown)).not.toContain('logger');
    });
  });

  it('reports its capabilities', () => {
    expect(provider(plugin({})).capabilities).toEqual({
      receive: true,
      send: true,
      customInboundResponse: false,
    });
  });
});
