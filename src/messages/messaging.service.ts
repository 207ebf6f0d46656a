import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { newSid } from '../common/ids';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import type { MessageEntity } from '../database/entities/message.entity';
import type { WebhookDeliveryEntity } from '../database/entities/webhook-delivery.entity';
import { normalizePhoneNumber } from '../common/phone-number';
import { nowIso } from '../common/time';
import { noteRequestMessage, type RequestContext, withRequestId } from '../logging/request-context';
import { MessagingProviderRegistry } from '../messaging/messaging-provider.registry';
import { MetricsService } from '../metrics/metrics.service';
import type { MessagingProvider } from '../messaging/messaging-provider';
import { InboundTranslationError, ProviderSendError } from '../messaging/plugin-errors';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import type { HookTarget } from '../webhooks/hook-target';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { measureText } from './message-encoding';
import { MessagesRepository } from './messages.repository';

export interface SendRequest {
  accountSid: string;
  applicationSid?: string | null;
  from: string;
  to: string;
  text?: string;
  media?: string[];
  /** A configured provider's name; the default provider when absent. */
  provider?: string;
  /** The inbound message this one replies to. */
  parentMessageSid?: string;
  idempotencyKey?: string;
  requestHash?: string;
  /** Told the outcome once the send ends. */
  statusHook?: HookTarget;
  /** The API request asking for the send, for the log lines about it. */
  context?: RequestContext;
}

export type SendOutcome =
  | { ok: true; message: MessageEntity; providerResponse: unknown }
  | {
      ok: false;
      message: MessageEntity;
      reason: string;
      providerResponse?: unknown;
      timedOut: boolean;
    };

export type SendRejection =
  'no-provider' | 'unknown-provider' | 'invalid-number' | 'foreign-number';

/** A send refused before anything was stored or sent. */
export class SendRejectedError extends Error {
  override readonly name = 'SendRejectedError';
  constructor(
    readonly reason: SendRejection,
    message: string,
  ) {
    super(message);
  }
}

export type ReceiveRejection = 'unknown-provider' | 'untranslatable' | 'no-route' | 'no-hook';

export class ReceiveRejectedError extends Error {
  override readonly name = 'ReceiveRejectedError';
  constructor(
    readonly reason: ReceiveRejection,
    message: string,
  ) {
    super(message);
  }
}

export interface ReceiveResult {
  messageSid: string;
  /** The JSON body of the 200 answer to the provider. */
  providerAnswer: unknown;
}

/** The width of the stored `from` number (messages.from). */
const MAX_NUMBER_LENGTH = 64;
/** An alphanumeric sender id: letters and digits, with the few separators senders use. */
const SENDER_ID = /^[\p{L}\p{N}][\p{L}\p{N} ._&'-]{0,31}$/u;

/** How many normalised numbers are remembered before the memory starts over. */
const NORMALIZED_CACHE_MAX = 10_000;

/** Provider answers often name the provider's own id of the message under one of these keys. */
const PROVIDER_ID_KEYS = [
  'id',
  'messageId',
  'message_id',
  'messageID',
  'sid',
  'receipt',
  'uuid',
  'reference',
];

function providerMessageId(response: unknown): string | null {
  if (typeof response !== 'object' || response === null) return null;
  const r = response as Record<string, unknown>;
  for (const key of PROVIDER_ID_KEYS) {
    const v = r[key];
    if (typeof v === 'string' && v !== '' && v.length <= 255) return v;
    if (typeof v === 'number') return String(v);
  }
  const data = r.data;
  return typeof data === 'object' && data !== null && data !== response
    ? providerMessageId(data)
    : null;
}

/**
 * The two directions of the gateway: `send` (the Messages API and the `message` verb share it)
 * and `receive` (a provider's inbound post, stored and then forwarded to the application).
 */
@Injectable()
export class MessagingService implements OnModuleInit {
  private readonly logger = new Logger('Messaging');
  private readonly config: AppConfig;
  /**
   * Input -> normalised number (null: not a number). Bounded, since senders are arbitrary, and
   * only inputs short enough to be a number are kept.
   */
  private readonly normalized = new Map<string, string | null>();

  constructor(
    @Inject(ConfigService) configService: ConfigService,
    private readonly registry: MessagingProviderRegistry,
    private readonly messages: MessagesRepository,
    private readonly numbers: PhoneNumbersService,
    private readonly webhooks: WebhookDispatcher,
    private readonly metrics: MetricsService,
  ) {
    this.config = configService.getOrThrow<AppConfig>(APP_CONFIG);
  }

  onModuleInit(): void {
    this.webhooks.onOutcome('messaging_hook', async (delivery, outcome) => {
      const delivered = outcome.state === 'delivered';
      await this.messages.transition(
        delivery.message_sid,
        delivered ? 'delivered-to-app' : 'failed-to-app',
        delivered ? {} : { failure_reason: `the application's webhook failed: ${outcome.summary}` },
        `messaging webhook: ${outcome.summary}`,
      );
    });
  }

  normalize(number: string): string | undefined {
    // Parsing a number is the dearest step of a message; the same numbers come back all the time.
    if (number.length > 64) return normalizePhoneNumber(number, this.config.defaultCountry);
    const known = this.normalized.get(number);
    if (known !== undefined) return known === null ? undefined : known;
    const result = normalizePhoneNumber(number, this.config.defaultCountry);
    if (this.normalized.size >= NORMALIZED_CACHE_MAX) this.normalized.clear();
    this.normalized.set(number, result ?? null);
    return result;
  }

  /** The provider a send goes through: the named one, else the default. */
  pickProvider(name?: string): MessagingProvider {
    if (name !== undefined && name !== '') {
      const provider = this.registry.get(name);
      if (!provider) {
        const known = this.registry.names();
        throw new SendRejectedError(
          'unknown-provider',
          `unknown provider "${name}"${known.length ? `; configured: ${known.join(', ')}` : ''}`,
        );
      }
      return provider;
    }
    const fallback = this.registry.getDefault();
    if (!fallback)
      throw new SendRejectedError(
        'no-provider',
        'no SMS provider is configured (JAMBONES_MESSAGING)',
      );
    return fallback;
  }

  /**
   * Sends one message: checks it, stores it as queued, hands it to the provider's plug-in, and
   * stores the outcome. Throws `SendRejectedError` when it refuses before storing anything.
   */
  async send(req: SendRequest): Promise<SendOutcome> {
    const provider = this.pickProvider(req.provider);
    const from = this.normalize(req.from);
    if (!from) throw new SendRejectedError('invalid-number', '"from" is not a phone number');
    const to = this.normalize(req.to);
    if (!to) throw new SendRejectedError('invalid-number', '"to" is not a phone number');
    const owner = await this.numbers.findOwner(from);
    if (owner && owner !== req.accountSid) {
      throw new SendRejectedError('foreign-number', `"from" ${from} belongs to another account`);
    }
    const media = req.media ?? [];
    const now = nowIso();
    const message: MessageEntity = {
      sid: newSid(),
      account_sid: req.accountSid,
      application_sid: req.applicationSid ?? null,
      direction: 'outbound',
      provider: provider.name,
      from,
      to: [to],
      cc: [],
      text: req.text ?? null,
      media,
      ...measureText(req.text),
      status: 'queued',
      failure_reason: null,
      provider_message_id: null,
      provider_response: null,
      parent_message_sid: req.parentMessageSid ?? null,
      idempotency_key: req.idempotencyKey ?? null,
      request_hash: req.requestHash ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.messages.create(message);
    noteRequestMessage(req.context, message.sid);
    this.metrics.messageStored('outbound', provider.name, 'queued');
    this.logger.debug(
      `message ${message.sid}: outbound ${from} -> ${to} queued for ${provider.name}`,
    );
    let outcome: SendOutcome;
    const sendStarted = performance.now();
    try {
      const providerResponse = await provider.send({
        messageSid: message.sid,
        from,
        to,
        ...(req.text !== undefined ? { text: req.text } : {}),
        ...(media.length ? { media } : {}),
      });
      const providerId = providerMessageId(providerResponse);
      await this.messages.transition(message.sid, 'sent', {
        provider_message_id: providerId,
        provider_response: providerResponse,
      });
      this.metrics.messageStored('outbound', provider.name, 'sent');
      this.metrics.providerSend(provider.name, 'success', (performance.now() - sendStarted) / 1000);
      Object.assign(message, {
        status: 'sent',
        provider_message_id: providerId,
        provider_response: providerResponse,
      });
      // The request line names the message; a failure is a warning, a success a detail.
      this.logger.debug(
        `message ${message.sid}: outbound ${from} -> ${to} sent through ${provider.name}${providerId ? ` as ${providerId}` : ''}`,
      );
      outcome = { ok: true, message, providerResponse };
    } catch (err) {
      const e = err instanceof ProviderSendError ? err : new ProviderSendError(String(err));
      const reason = `${provider.name}: ${e.message}`;
      await this.messages.transition(message.sid, 'failed', {
        failure_reason: reason,
        ...(e.providerResponse !== undefined ? { provider_response: e.providerResponse } : {}),
      });
      this.metrics.messageStored('outbound', provider.name, 'failed');
      this.metrics.providerSend(
        provider.name,
        e.timedOut ? 'timeout' : 'failure',
        (performance.now() - sendStarted) / 1000,
      );
      Object.assign(message, {
        status: 'failed',
        failure_reason: reason,
        provider_response: e.providerResponse ?? null,
      });
      this.logger.warn(withRequestId(req.context, `message ${message.sid}: send failed: ${reason}`));
      outcome = {
        ok: false,
        message,
        reason,
        providerResponse: e.providerResponse,
        timedOut: e.timedOut,
      };
    }
    if (req.statusHook) {
      await this.webhooks.enqueue({
        kind: 'status_hook',
        messageSid: message.sid,
        accountSid: message.account_sid,
        applicationSid: message.application_sid,
        target: req.statusHook,
        payload: sendResultPayload(outcome),
      });
    }
    return outcome;
  }

  /**
   * A provider's inbound post: translated by its plug-in, routed to the application owning the
   * first provisioned number of `to` then `cc`, stored with the delivery it owes (one
   * transaction), and only then answered; the webhook call starts without holding the answer.
   */
  async receive(
    providerName: string,
    url: string,
    body: unknown,
    context?: RequestContext,
  ): Promise<ReceiveResult> {
    const provider = this.registry.get(providerName);
    if (!provider)
      throw new ReceiveRejectedError('unknown-provider', `unknown provider "${providerName}"`);
    let inbound;
    try {
      inbound = await provider.translateInbound(url, body);
    } catch (err) {
      throw new ReceiveRejectedError(
        'untranslatable',
        err instanceof InboundTranslationError ? err.message : 'the body could not be read',
      );
    }
    // A number that is no phone number is kept as its digits, or, for an alphanumeric sender id
    // such as "ACME", as written; anything else (control characters...) leaves nothing.
    const norm = (n: string): string =>
      this.normalize(n) ?? (n.replace(/\D/g, '') || (SENDER_ID.test(n.trim()) ? n.trim() : ''));
    const from = norm(inbound.from);
    // What the messages table can hold, the same on every database engine (PostgreSQL refuses
    // a NUL in text, and a number wider than its column).
    if (from.length > MAX_NUMBER_LENGTH) {
      throw new ReceiveRejectedError(
        'untranslatable',
        `"from" is not a phone number (${from.length} digits)`,
      );
    }
    if (inbound.text.includes('\u0000')) {
      throw new ReceiveRejectedError('untranslatable', 'the text holds a NUL character');
    }
    const to = inbound.to.map(norm);
    const cc = inbound.cc.map(norm);
    const route = await this.numbers.findRoute([...to, ...cc]);
    if (!route) {
      throw new ReceiveRejectedError(
        'no-route',
        `no application owns ${[...to, ...cc].join(', ')}`,
      );
    }
    const app = route.application;
    if (!app.messaging_hook_url) {
      throw new ReceiveRejectedError(
        'no-hook',
        `the application for ${route.number} has no messaging webhook`,
      );
    }
    const now = nowIso();
    const message: MessageEntity = {
      sid: newSid(),
      account_sid: route.accountSid,
      application_sid: app.sid,
      direction: 'inbound',
      provider: provider.name,
      from,
      to,
      cc,
      text: inbound.text,
      media: inbound.media,
      ...measureText(inbound.text),
      status: 'received',
      failure_reason: null,
      provider_message_id: inbound.messageSid ?? null,
      provider_response: null,
      parent_message_sid: null,
      idempotency_key: null,
      request_hash: null,
      created_at: now,
      updated_at: now,
    };
    const delivery: WebhookDeliveryEntity = this.webhooks.build({
      kind: 'messaging_hook',
      messageSid: message.sid,
      accountSid: message.account_sid,
      applicationSid: app.sid,
      target: {
        url: app.messaging_hook_url,
        method: app.messaging_hook_method === 'GET' ? 'GET' : 'POST',
      },
      payload: {
        messageSid: message.sid,
        accountSid: message.account_sid,
        applicationSid: app.sid,
        provider: provider.name,
        from,
        to,
        cc,
        text: inbound.text,
        media: inbound.media,
      },
    });
    await this.messages.create(message, [delivery]);
    noteRequestMessage(context, message.sid);
    this.metrics.messageStored('inbound', provider.name, 'received');
    // The request line names the message; what it is about is for debugging.
    this.logger.debug(
      `message ${message.sid}: inbound ${from} -> ${to.join(',')} through ${provider.name} for application ${app.sid}`,
    );
    this.webhooks.start(delivery);
    return { messageSid: message.sid, providerAnswer: await provider.inboundResponse(message.sid) };
  }
}

/** What an actionHook or status hook is told about a send (the jambonz `message` verb's fields). */
export function sendResultPayload(outcome: SendOutcome): Record<string, unknown> {
  const m = outcome.message;
  return {
    message_sid: m.sid,
    message_status: outcome.ok ? 'success' : 'failure',
    ...(outcome.ok ? {} : { message_failure_reason: outcome.reason }),
    carrier: m.provider,
    ...(m.provider_message_id ? { carrier_message_id: m.provider_message_id } : {}),
  };
}
