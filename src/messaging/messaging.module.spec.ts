import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { HttpStub, json } from '../../test/utils/http-stub';
import { neverAnswer } from '../../test/utils/provider-kit';
import { ConfigurationError } from '../config/configuration-error';
import { parseMessagingConfig } from '../config/messaging-config';
import { getMessagingProviderToken, InjectMessagingProvider } from './messaging.constants';
import { MessagingModule, type MessagingModuleOptions } from './messaging.module';
import { MessagingProvider } from './messaging-provider';
import { MessagingProviderRegistry } from './messaging-provider.registry';
import { ProviderSendError } from './plugin-errors';

const ROOT = join(__dirname, '..', '..');

@Injectable()
class SmsSender {
  constructor(
    @InjectMessagingProvider('peerless') readonly peerless: MessagingProvider,
    @InjectMessagingProvider('simwood') readonly simwood: MessagingProvider,
  ) {}
}

/** Builds the module the way the gateway does: the options come from ConfigService. */
async function compile(env: Record<string, string>, extra: unknown[] = []): Promise<TestingModule> {
  const names = parseMessagingConfig(env.JAMBONES_MESSAGING).providers.map((p) => p.name);
  return Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] }),
      MessagingModule.forRootAsync({
        imports: [ConfigModule],
        providerNames: names,
        inject: [ConfigService],
        useFactory: (config: ConfigService): MessagingModuleOptions => ({
          providers: parseMessagingConfig(config.get<string>('JAMBONES_MESSAGING')).providers,
          timeoutMs: Number(config.get<string>('PROVIDER_TIMEOUT_MS')),
          cwd: ROOT,
        }),
      }),
    ],
    providers: extra as never[],
  }).compile();
}

describe('MessagingModule.forRootAsync', () => {
  const stub = new HttpStub();
  let moduleRef: TestingModule;
  beforeAll(async () => {
    await stub.start();
    moduleRef = await compile(
      {
        PROVIDER_TIMEOUT_MS: '300',
        JAMBONES_MESSAGING: JSON.stringify({
          peerless: {
            module: '@jambonz/messaging-peerless',
            options: { url: `${stub.url}/peerless`, auth: { username: 'pu', password: 'pp' } },
          },
          simwood: { module: 'simwood', options: { url: `${stub.url}/simwood` } },
          'mutating-a': {
            module: './test/fixtures/plugins/mutating.js',
            options: { url: 'http://a.example/', auth: { username: 'ua', password: 'pa' } },
          },
          'mutating-b': {
            module: './test/fixtures/plugins/mutating.js',
            options: { url: 'http://b.example/', auth: { username: 'ub', password: 'pb' } },
          },
        }),
      },
      [SmsSender],
    );
  });
  afterAll(async () => {
    await moduleRef?.close();
    await stub.stop();
  });
  beforeEach(() => {
    stub.requests.length = 0;
    stub.handler = (_req, res) => json(res, 200, { ok: true });
  });

  it('makes each provider injectable by getMessagingProviderToken(name)', () => {
    const peerless = moduleRef.get<MessagingProvider>(getMessagingProviderToken('peerless'));
    expect(peerless).toBeInstanceOf(MessagingProvider);
    expect(peerless.name).toBe('peerless');
    expect(peerless.module).toBe('@jambonz/messaging-peerless');
    expect(moduleRef.get<MessagingProvider>(getMessagingProviderToken('mutating-b')).name).toBe(
      'mutating-b',
    );
  });

  it('injects the same providers with @InjectMessagingProvider(name)', () => {
    const sender = moduleRef.get(SmsSender);
    expect(sender.peerless).toBe(moduleRef.get(getMessagingProviderToken('peerless')));
    expect(sender.simwood.name).toBe('simwood');
  });

  it('finds providers by name in the registry; the first key is the default', () => {
    const registry = moduleRef.get(MessagingProviderRegistry);
    expect(registry.names()).toEqual(['peerless', 'simwood', 'mutating-a', 'mutating-b']);
    expect(registry.get('simwood')).toBe(moduleRef.get(getMessagingProviderToken('simwood')));
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.getDefault()?.name).toBe('peerless');
    expect(registry.list().map((p) => [p.name, p.isDefault])).toEqual([
      ['peerless', true],
      ['simwood', false],
      ['mutating-a', false],
      ['mutating-b', false],
    ]);
  });

  it('sends through the real HTTP client with the configured options', async () => {
    const registry = moduleRef.get(MessagingProviderRegistry);
    await registry.get('peerless')!.send({ from: '15085710838', to: '15083084809', text: 'hi' });
    expect(stub.requests[0]).toMatchObject({ method: 'POST', path: '/peerless' });
    expect(stub.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('pu:pp').toString('base64')}`,
    );
  });

  it('bounds provider requests by the configured timeout', async () => {
    neverAnswer(stub);
    const err = await moduleRef
      .get<MessagingProvider>(getMessagingProviderToken('simwood'))
      .send({ from: '1', to: '2', text: 'x' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ProviderSendError);
    expect((err as ProviderSendError).timedOut).toBe(true);
  });

  it('gives two entries of one module their own, independent options', async () => {
    const a = moduleRef.get<MessagingProvider>(getMessagingProviderToken('mutating-a'));
    const b = moduleRef.get<MessagingProvider>(getMessagingProviderToken('mutating-b'));
    expect(await a.send({ from: '1', to: '2' })).toEqual({
      url: 'http://a.example/',
      username: 'ua',
      password: 'pa',
      to: '2',
    });
    expect(await b.send({ from: '1', to: '3' })).toEqual({
      url: 'http://b.example/',
      username: 'ub',
      password: 'pb',
      to: '3',
    });
  });

  it('fails to compile, with a ConfigurationError, when a module cannot be loaded', async () => {
    await expect(
      compile({
        PROVIDER_TIMEOUT_MS: '300',
        JAMBONES_MESSAGING: JSON.stringify({ acme: { module: './no/such/plugin.js' } }),
      }),
    ).rejects.toThrow(
      new ConfigurationError(
        'JAMBONES_MESSAGING: provider "acme": module "./no/such/plugin.js" could not be found',
      ),
    );
  });

  it('refuses a factory whose providers differ from the names the module was defined with', async () => {
    const defined = Test.createTestingModule({
      imports: [
        MessagingModule.forRootAsync({
          providerNames: ['peerless'],
          useFactory: (): MessagingModuleOptions => ({
            providers: [{ name: 'simwood', module: 'simwood', options: {} }],
            timeoutMs: 100,
          }),
        }),
      ],
    }).compile();
    await expect(defined).rejects.toBeInstanceOf(ConfigurationError);
  });
});
