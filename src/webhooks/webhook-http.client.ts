import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Agent } from 'undici';
import { basicAuthorization } from '../common/basic-auth';
import { deadline } from '../common/deadline';
import { APP_CONFIG, type AppConfig } from '../config/environment';

export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** Credentials in the URL (`http://user:pass@host/`) become Basic auth unless `headers` has some. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WebhookResponse {
  status: number;
  /** The answer as UTF-8 text. */
  body: string;
}

/**
 * Why a call got no answer: `timedOut`, or `code` naming the network error. `status` is set when
 * the application did answer, with an answer that could not be read (too large).
 */
export class WebhookCallError extends Error {
  override readonly name = 'WebhookCallError';
  constructor(
    readonly code: string,
    readonly timedOut: boolean,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The largest answer read from an application; a bigger one fails the call. */
export const MAX_WEBHOOK_ANSWER_BYTES = 1024 * 1024;

/**
 * The one HTTP client that calls applications: undici, with kept-alive connections per origin, no
 * redirects followed, and one deadline (WEBHOOK_TIMEOUT_MS) for the whole call, from connecting
 * to the last byte of the answer.
 */
@Injectable()
export class WebhookHttpClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(@Inject(ConfigService) config: ConfigService) {
    this.timeoutMs = config.getOrThrow<AppConfig>(APP_CONFIG).webhookTimeoutMs;
    this.agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 });
  }

  async request(req: WebhookRequest): Promise<WebhookResponse> {
    const target = new URL(req.url);
    const headers = { ...req.headers };
    if (
      target.username !== '' &&
      !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')
    ) {
      headers.authorization = basicAuthorization(
        decodeURIComponent(target.username),
        decodeURIComponent(target.password),
      );
    }
    const { signal, clear } = deadline(this.timeoutMs);
    try {
      const res = await this.agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
        body: req.body,
        signal,
      });
      const tooLarge = (): WebhookCallError => {
        res.body.destroy();
        return new WebhookCallError(
          'ANSWER_TOO_LARGE',
          false,
          `the answer is larger than ${MAX_WEBHOOK_ANSWER_BYTES} bytes`,
          res.statusCode,
        );
      };
      // With a length announced (the usual small answer), one read; the parser holds the
      // answer to that length. Without one (chunked), read it piece by piece up to the cap.
      const length = Number(res.headers['content-length'] ?? Number.NaN);
      if (Number.isInteger(length) && length >= 0) {
        if (length > MAX_WEBHOOK_ANSWER_BYTES) throw tooLarge();
        return { status: res.statusCode, body: await res.body.text() };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_WEBHOOK_ANSWER_BYTES) throw tooLarge();
        chunks.push(chunk);
      }
      return { status: res.statusCode, body: Buffer.concat(chunks, size).toString('utf8') };
    } catch (err) {
      if (err instanceof WebhookCallError) throw err;
      if (signal.aborted) throw new WebhookCallError('TIMEOUT', true, 'timed out');
      const code = (err as { code?: unknown }).code;
      const name =
        typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
      throw new WebhookCallError(name, false, `network error ${name}`);
    } finally {
      clear();
    }
  }

  /** Closes the kept-alive connections once the calls under way have ended. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
