import {
  type DynamicModule,
  type FactoryProvider,
  Module,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import type { ProviderConfig } from '../config/messaging-config';
import { ConfigurationError } from '../config/configuration-error';
import {
  getMessagingProviderToken,
  MESSAGING_MODULE_OPTIONS,
  MESSAGING_PROVIDERS,
} from './messaging.constants';
import { collectSecrets } from '../common/redact';
import { MessagingProvider } from './messaging-provider';
import { MessagingProviderRegistry } from './messaging-provider.registry';
import { loadPlugin } from './plugin-loader';
import { createPluginLogger } from './plugin-logger';
import { ProviderHttpClient, providerAxiosConfig } from './provider-http.client';

export interface MessagingModuleOptions {
  /** The parsed JAMBONES_MESSAGING entries, default first. */
  providers: ProviderConfig[];
  /** Upper bound of every plug-in call and of every provider HTTP request, in milliseconds. */
  timeoutMs: number;
  /** Where relative module paths are resolved from; the working directory by default. */
  cwd?: string;
}

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /**
   * The provider names, so that each gets its own injection token. Tokens are fixed when the
   * module is defined; the options behind them come from `useFactory`.
   */
  providerNames: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the injected values, as Nest's own factories take them
  useFactory: (...args: any[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  inject?: FactoryProvider['inject'];
}

function createProviders(
  options: MessagingModuleOptions,
  http: ProviderHttpClient,
): MessagingProvider[] {
  return options.providers.map(
    (config, index) =>
      new MessagingProvider({
        name: config.name,
        module: config.module,
        isDefault: index === 0,
        plugin: loadPlugin(config, http, options.cwd),
        options: config.options,
        logger: createPluginLogger(config.name, collectSecrets(config.options)),
        timeoutMs: options.timeoutMs,
      }),
  );
}

/**
 * Loads every provider named in JAMBONES_MESSAGING once at start-up. Each is injectable by
 * `getMessagingProviderToken(name)`; `MessagingProviderRegistry` finds them by name.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    const perName: Provider[] = options.providerNames.map((name) => ({
      provide: getMessagingProviderToken(name),
      useFactory: (registry: MessagingProviderRegistry) => registry.get(name),
      inject: [MessagingProviderRegistry],
    }));
    return {
      module: MessagingModule,
      global: true,
      imports: [
        ...(options.imports ?? []),
        HttpModule.registerAsync({
          imports: options.imports,
          inject: [MESSAGING_MODULE_OPTIONS],
          extraProviders: [
            {
              provide: MESSAGING_MODULE_OPTIONS,
              useFactory: options.useFactory,
              inject: options.inject ?? [],
            },
          ],
          useFactory: (opts: MessagingModuleOptions) => providerAxiosConfig(opts.timeoutMs),
        }),
      ],
      providers: [
        {
          provide: MESSAGING_MODULE_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        ProviderHttpClient,
        {
          provide: MESSAGING_PROVIDERS,
          inject: [MESSAGING_MODULE_OPTIONS, ProviderHttpClient],
          useFactory: (opts: MessagingModuleOptions, client: ProviderHttpClient) => {
            const names = opts.providers.map((p) => p.name);
            if (names.join('\n') !== options.providerNames.join('\n')) {
              throw new ConfigurationError(
                'JAMBONES_MESSAGING: the providers changed while the gateway started',
              );
            }
            return createProviders(opts, client);
          },
        },
        MessagingProviderRegistry,
        ...perName,
      ],
      exports: [
        MessagingProviderRegistry,
        ProviderHttpClient,
        ...options.providerNames.map(getMessagingProviderToken),
      ],
    };
  }
}
