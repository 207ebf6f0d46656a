import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import type { MessagingPlugin, PluginLogger } from '../../src/messaging/messaging-plugin.interface';
import { MessagingProvider } from '../../src/messaging/messaging-provider';
import { ProviderHttpClient, providerAxiosConfig } from '../../src/messaging/provider-http.client';
import { freePort } from './free-port';
import type { HttpStub } from './http-stub';

/** The real provider HTTP client (axios through Nest's HttpService), as the module builds it. */
export function providerHttpClient(timeoutMs = 1000): ProviderHttpClient {
  return new ProviderHttpClient(new HttpService(axios.create(providerAxiosConfig(timeoutMs))));
}

export interface RecordingLogger extends PluginLogger {
  lines: string[];
}

/** A plug-in logger that keeps what it is given, so a test can look for leaked secrets. */
export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      let text: string;
      try {
        text = JSON.stringify(obj);
      } catch {
        text = String(obj);
      }
      lines.push(`${level} ${msg ?? ''} ${text}`);
    };
  return {
    lines,
    info: keep('info'),
    debug: keep('debug'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

export function providerFor(
  plugin: MessagingPlugin,
  options: Record<string, unknown>,
  opts: { name?: string; timeoutMs?: number; logger?: PluginLogger } = {},
): MessagingProvider {
  return new MessagingProvider({
    name: opts.name ?? 'test',
    module: 'test',
    isDefault: true,
    plugin,
    options,
    logger: opts.logger ?? recordingLogger(),
    timeoutMs: opts.timeoutMs ?? 1000,
  });
}

/** A URL on 127.0.0.1 where nothing listens: the port was free a moment ago. */
export async function refusedUrl(path = '/'): Promise<string> {
  return `http://127.0.0.1:${await freePort()}${path}`;
}

/** Makes the stub take requests and never answer them. */
export function neverAnswer(stub: HttpStub): void {
  stub.handler = () => new Promise<void>(() => undefined);
}

/** The `user:password` of a Basic authorization header, or undefined. */
export function basicCredentials(header: string | undefined): string | undefined {
  const m = /^Basic (.+)$/.exec(header ?? '');
  return m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : undefined;
}
