import type {
  MessagingPlugin,
  PluginOptions,
  StandardInboundMessage,
  StandardOutboundMessage,
} from '../messaging-plugin.interface';
import { basicAuth, requireUrl, type ProviderHttpClient } from '../provider-http.client';

/** Simwood: an `sms_inbound` event inbound, JSON with Basic auth outbound. */
export class SimwoodPlugin implements MessagingPlugin {
  constructor(private readonly http: ProviderHttpClient) {}

  fromProviderFormat(_opts: PluginOptions, _url: string, payload: unknown): StandardInboundMessage {
    const data = (payload as { data?: unknown } | null | undefined)?.data;
    if (typeof data !== 'object' || data === null) throw new Error('"data" is missing');
    const { originator, destination, message } = data as Record<string, unknown>;
    if (typeof originator !== 'string' || originator === '')
      throw new Error('"data.originator" is missing');
    if (typeof destination !== 'string' || destination === '')
      throw new Error('"data.destination" is missing');
    return {
      from: originator,
      to: [destination],
      cc: [],
      text: typeof message === 'string' ? message : '',
      media: [],
    };
  }

  async sendSms(opts: PluginOptions, msg: StandardOutboundMessage): Promise<unknown> {
    return this.http.request({
      method: 'POST',
      url: requireUrl(opts, 'simwood'),
      auth: basicAuth(opts),
      json: { from: msg.from, to: msg.to, cc: [], message: msg.text ?? '', media: msg.media ?? [] },
    });
  }
}
