import type {
  MessagingPlugin,
  PluginOptions,
  StandardInboundMessage,
  StandardOutboundMessage,
} from '../messaging-plugin.interface';
import { requireUrl, type ProviderHttpClient } from '../provider-http.client';

/** 382com works with 10-digit North American numbers: `15085710838` goes out as `5085710838`. */
export function toNorthAmericanNational(number: string): string {
  return /^1\d{10}$/.test(number) ? number.slice(1) : number;
}

/** 382 Communications: JSON (or form) inbound with 10-digit numbers, an HTTP GET outbound. */
export class Com382Plugin implements MessagingPlugin {
  constructor(private readonly http: ProviderHttpClient) {}

  fromProviderFormat(_opts: PluginOptions, _url: string, payload: unknown): StandardInboundMessage {
    const body = (payload ?? {}) as Record<string, unknown>;
    const { source, destination, type, message } = body;
    if (typeof source !== 'string' || source === '') throw new Error('"source" is missing');
    if (typeof destination !== 'string' || destination === '')
      throw new Error('"destination" is missing');
    const content = typeof message === 'string' ? message : '';
    const isMms = typeof type === 'string' && type.toLowerCase() === 'mms';
    return {
      from: source,
      to: [destination],
      cc: [],
      text: isMms ? '' : content,
      media: isMms && content !== '' ? [content] : [],
    };
  }

  async sendSms(opts: PluginOptions, msg: StandardOutboundMessage): Promise<unknown> {
    const auth = (opts.auth ?? {}) as { username?: unknown; password?: unknown };
    // Each value is percent-encoded on its own, so '&', '#', '+' and '=' in a text arrive intact.
    const params = new URLSearchParams();
    if (typeof auth.username === 'string') params.set('user', auth.username);
    if (typeof auth.password === 'string') params.set('pass', auth.password);
    params.set('source', toNorthAmericanNational(msg.from));
    params.set('destination', toNorthAmericanNational(msg.to));
    const fileUrl = msg.media?.[0];
    if (fileUrl) params.set('file_url', fileUrl);
    else params.set('message', msg.text ?? '');
    const responseText = await this.http.request({
      method: 'GET',
      url: requireUrl(opts, '382com'),
      params,
      text: true,
    });
    return { responseText };
  }
}
