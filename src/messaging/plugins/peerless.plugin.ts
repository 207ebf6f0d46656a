import type {
  MessagingPlugin,
  PluginOptions,
  StandardInboundMessage,
  StandardOutboundMessage,
} from '../messaging-plugin.interface';
import { basicAuth, requireUrl, type ProviderHttpClient } from '../provider-http.client';

interface PeerlessInbound {
  from?: unknown;
  recipients?: unknown;
  ccRecipients?: unknown;
  text?: unknown;
  mediaURL?: unknown;
}

const stripPlus = (n: string): string => n.replace(/^\+/, '');

function numbers(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`"${field}" must be a list of numbers`);
  }
  return value.map(stripPlus);
}

/** Peerless Communications: JSON both ways, numbers in E.164 with '+'. */
export class PeerlessPlugin implements MessagingPlugin {
  constructor(private readonly http: ProviderHttpClient) {}

  fromProviderFormat(_opts: PluginOptions, _url: string, payload: unknown): StandardInboundMessage {
    const body = (payload ?? {}) as PeerlessInbound;
    if (typeof body.from !== 'string') throw new Error('"from" is missing');
    const media = typeof body.mediaURL === 'string' && body.mediaURL !== '' ? [body.mediaURL] : [];
    return {
      from: stripPlus(body.from),
      to: numbers(body.recipients, 'recipients'),
      cc: numbers(body.ccRecipients, 'ccRecipients'),
      text: typeof body.text === 'string' ? body.text : '',
      media,
    };
  }

  formatProviderResponse(messageSid: string): { receipt: string; status: string } {
    return { receipt: messageSid, status: 'accepted' };
  }

  async sendSms(opts: PluginOptions, msg: StandardOutboundMessage): Promise<unknown> {
    const body: Record<string, unknown> = {
      from: `+${stripPlus(msg.from)}`,
      recipients: [`+${stripPlus(msg.to)}`],
      ccRecipients: [],
      text: msg.text ?? '',
    };
    // Peerless carries one media URL as a string, the same shape it uses inbound.
    const mediaUrl = msg.media?.[0];
    if (mediaUrl) body.mediaURL = mediaUrl;
    return this.http.request({
      method: 'POST',
      url: requireUrl(opts, 'peerless'),
      auth: basicAuth(opts),
      json: body,
    });
  }
}
