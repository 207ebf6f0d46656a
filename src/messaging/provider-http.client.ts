import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';
import type { AxiosError } from 'axios';
import { ProviderSendError } from './plugin-errors';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string;
  auth?: { username: string; password: string };
  params?: URLSearchParams;
  json?: unknown;
  /** Read the answer as text instead of JSON. */
  text?: boolean;
}

/**
 * The one HTTP client the built-in plug-ins call providers with (keep-alive and a timeout come
 * from the HttpModule registration). A non-2xx answer, a timeout or a network error is thrown
 * as a `ProviderSendError` that carries the provider's answer and never the credentials.
 */
@Injectable()
export class ProviderHttpClient {
  constructor(private readonly http: HttpService) {}

  async request(req: ProviderRequest): Promise<unknown> {
    let url = req.url;
    if (req.params) {
      const target = new URL(req.url);
      for (const [k, v] of req.params) target.searchParams.append(k, v);
      url = target.toString();
    }
    try {
      const res = await firstValueFrom(
        this.http.request({
          method: req.method,
          url,
          auth: req.auth,
          data: req.json,
          responseType: req.text ? 'text' : 'json',
          transitional: {
            silentJSONParsing: true,
            forcedJSONParsing: !req.text,
            clarifyTimeoutError: true,
          },
          validateStatus: () => true,
        }),
      );
      if (res.status < 200 || res.status > 299) {
        throw new ProviderSendError(`the provider answered HTTP ${res.status}`, res.data);
      }
      return res.data;
    } catch (err) {
      if (err instanceof ProviderSendError) throw err;
      const e = err as AxiosError;
      const timedOut = e.code === 'ETIMEDOUT' || e.code === 'ECONNABORTED';
      throw new ProviderSendError(
        timedOut
          ? 'the provider did not answer in time'
          : `the provider could not be reached (${e.code ?? 'error'})`,
        undefined,
        timedOut,
      );
    }
  }
}

/** `options.auth` as Basic credentials, when the configuration has them. */
export function basicAuth(
  opts: Record<string, unknown>,
): { username: string; password: string } | undefined {
  const auth = opts.auth as { username?: unknown; password?: unknown } | undefined;
  if (!auth || typeof auth.username !== 'string') return undefined;
  return {
    username: auth.username,
    password: typeof auth.password === 'string' ? auth.password : '',
  };
}

export function requireUrl(opts: Record<string, unknown>, provider: string): string {
  if (typeof opts.url !== 'string' || opts.url === '') {
    throw new ProviderSendError(`the ${provider} options have no "url" to send to`);
  }
  return opts.url;
}
