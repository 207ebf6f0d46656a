import { randomUUID } from 'node:crypto';
import type {
  MessagingPlugin,
  PluginOptions,
  StandardInboundMessage,
  StandardOutboundMessage,
} from '../messaging-plugin.interface';

/**
 * A provider that talks to nobody: sends are accepted and answered with a generated id (the
 * message log keeps them), and inbound messages are posted in the standard format itself, which
 * is how the quickstart simulates a provider.
 */
export class SandboxPlugin implements MessagingPlugin {
  fromProviderFormat(_opts: PluginOptions, _url: string, payload: unknown): StandardInboundMessage {
    const body = (payload ?? {}) as Record<string, unknown>;
    const list = (v: unknown): string[] =>
      typeof v === 'string'
        ? [v]
        : Array.isArray(v)
          ? v.filter((x): x is string => typeof x === 'string')
          : [];
    if (typeof body.from !== 'string') throw new Error('"from" is missing');
    return {
      from: body.from,
      to: list(body.to),
      cc: list(body.cc),
      text: typeof body.text === 'string' ? body.text : '',
      media: list(body.media),
    };
  }

  sendSms(
    _opts: PluginOptions,
    msg: StandardOutboundMessage,
  ): { id: string; status: string; to: string } {
    return { id: `sandbox-${randomUUID()}`, status: 'accepted', to: msg.to };
  }
}
