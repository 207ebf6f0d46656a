import { TextDecoder } from 'node:util';
import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { Agent } from 'undici';
import { basicAuthorization } from '../common/basic-auth';
import { deadline } from '../common/deadline';
import { ProviderSendError } from './plugin-errors';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string;
  auth?: { username: string; password: string };
  /** Added to the query of `url`, each name and value percent-encoded on its own. */
  params?: URLSearchParams;
  json?: unknown;
  /** The answer is text (any text is a success); otherwise it must be JSON. */
  text?: boolean;
}

/** The most of a provider's answer kept in an error, so that a huge error page stays small. */
const MAX_KEPT_ANSWER = 2000;

/** The axios configuration every provider request is made with. */
export function providerAxiosConfig(timeoutMs: number): AxiosRequestConfig {
  return {
    timeout: timeoutMs,
    maxRedirects: 0,
    adapter: undiciAdapter(new Agent({ connections: 256, keepAliveTimeout: 10_000 })),
  };
}

/**
 * An axios adapter that makes the request with undici on kept-alive connections: axios keeps its
 * configuration, headers and request transforms, undici does the HTTP, at a fraction of the cost
 * of Node's http module per request. It covers what `ProviderHttpClient` asks for: an absolute
 * URL (credentials in it become Basic auth), `auth`, a string body, `timeout` as one deadline for
 * the whole call, no redirects, and the answer as bytes.
 */
export function undiciAdapter(agent: Agent): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const target = new URL(config.url ?? '');
    const headers = AxiosHeaders.from(config.headers).normalize(false);
    const user = config.auth?.username ?? decodeURIComponent(target.username);
    if (user !== '' && !headers.has('authorization')) {
      const pass = config.auth ? (config.auth.password ?? '') : decodeURIComponent(target.password);
      headers.set('authorization', basicAuthorization(user, pass));
    }
    const data: unknown = config.data;
    if (data !== undefined && data !== null && typeof data !== 'string' && !Buffer.isBuffer(data)) {
      throw new AxiosError('the request body must be a string', 'ERR_BAD_REQUEST', config);
    }
    const timeout = config.timeout ? deadline(config.timeout) : undefined;
    const signal = timeout?.signal;
    try {
      const res = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: (config.method ?? 'get').toUpperCase(),
        headers: headers.toJSON() as Record<string, string>,
        body: data ?? undefined,
        signal,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      const response: AxiosResponse = {
        data: body,
        status: res.statusCode,
        statusText: '',
        headers: AxiosHeaders.from(res.headers as Record<string, string>),
        config,
        request: {},
      };
      if (config.validateStatus && !config.validateStatus(res.statusCode)) {
        throw new AxiosError(
          `Request failed with status code ${res.statusCode}`,
          res.statusCode >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
          config,
          undefined,
          response,
        );
      }
      return response;
    } catch (err) {
      if (err instanceof AxiosError) throw err;
      if (signal?.aborted) {
        throw new AxiosError(
          `timeout of ${config.timeout}ms exceeded`,
          config.transitional?.clarifyTimeoutError ? 'ETIMEDOUT' : 'ECONNABORTED',
          config,
        );
      }
      const code = (err as { code?: unknown }).code;
      throw new AxiosError(
        err instanceof Error ? err.message : String(err),
        typeof code === 'string' ? code : 'ERR_NETWORK',
        config,
      );
    } finally {
      timeout?.clear();
    }
  };
}

/**
 * Percent-encodes with encodeURIComponent rather than as a form (URLSearchParams), so that a
 * space is `%20`: a provider's CGI reads it the same whether or not it decodes '+' as a space.
 */
function withQuery(url: string, params: URLSearchParams): string {
  const target = new URL(url);
  const added = [...params]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  if (added === '') return target.toString();
  const existing = target.search.replace(/^\?/, '');
  target.search = existing === '' ? added : `${existing}&${added}`;
  return target.toString();
}

function charsetOf(res: AxiosResponse): string {
  const type = res.headers['content-type'];
  const match = /charset\s*=\s*"?([^";\s]+)/i.exec(typeof type === 'string' ? type : '');
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

/** Decoders by charset, made once each (a decoder is reusable for whole bodies). */
const decoders = new Map<string, TextDecoder>();

/** A strict decoder for `charset`; throws a RangeError for a charset there is no decoder for. */
function decoderFor(charset: string): TextDecoder {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    decoder = new TextDecoder(charset, { fatal: true });
    // Charsets come from providers' answers: only the first few are kept.
    if (decoders.size < 16) decoders.set(charset, decoder);
  }
  return decoder;
}

/** The body as text, or undefined when it is not text (binary, or not in its declared charset). */
function decodeText(res: AxiosResponse): string | undefined {
  const data: unknown = res.data;
  const bytes = Buffer.isBuffer(data)
    ? data
    : data instanceof ArrayBuffer
      ? Buffer.from(data)
      : Buffer.alloc(0);
  let text: string;
  try {
    text = decoderFor(charsetOf(res)).decode(bytes);
  } catch {
    return undefined;
  }
  return text.includes('\u0000') ? undefined : text;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** What the provider said, for an error: its JSON when it is JSON, else (some of) its text. */
function answerForError(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text.slice(0, MAX_KEPT_ANSWER);
}

/**
 * The one HTTP client the built-in plug-ins call providers with: Nest's axios (`@nestjs/axios`)
 * over undici, with keep-alive and a timeout (`providerAxiosConfig`). A non-2xx answer, an answer
 * that is not what the provider's API promises (not JSON, not text), a timeout or a network error
 * is thrown as a `ProviderSendError` that carries the provider's answer and never the URL or the
 * credentials.
 */
@Injectable()
export class ProviderHttpClient {
  constructor(private readonly http: HttpService) {
    // axios deep-merges every bucket of its default headers (one per HTTP method, a dozen, all
    // empty but `common`) into the configuration of each request. This instance keeps `common`
    // alone: the same headers are sent, with a fraction of the copying per call.
    const defaults = http.axiosRef.defaults;
    defaults.headers = { common: { ...defaults.headers.common } } as typeof defaults.headers;
  }

  async request(req: ProviderRequest): Promise<unknown> {
    let url: string;
    try {
      url = req.params ? withQuery(req.url, req.params) : new URL(req.url).toString();
    } catch {
      throw new ProviderSendError('the provider "url" is not a valid URL');
    }
    let res: AxiosResponse;
    try {
      // Straight on Nest's axios instance: the Observable of `http.request` adds nothing here.
      res = await this.http.axiosRef.request({
        method: req.method,
        url,
        auth: req.auth,
        data: req.json,
        // Bytes, decoded here: a body that is not what the API promises is then an error
        // instead of a string passed off as the provider's answer.
        responseType: 'arraybuffer',
        transitional: { clarifyTimeoutError: true },
        validateStatus: () => true,
      });
    } catch (err) {
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
    const text = decodeText(res);
    if (res.status < 200 || res.status > 299) {
      throw new ProviderSendError(`the provider answered HTTP ${res.status}`, answerForError(text));
    }
    if (text === undefined) {
      throw new ProviderSendError(
        `the provider answered HTTP ${res.status} with a body that is not text`,
      );
    }
    if (req.text) return text;
    const parsed = text.trim() === '' ? { ok: false as const } : parseJson(text);
    if (!parsed.ok) {
      throw new ProviderSendError(
        `the provider answered HTTP ${res.status} with a body that is not JSON`,
        answerForError(text),
      );
    }
    return parsed.value;
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
