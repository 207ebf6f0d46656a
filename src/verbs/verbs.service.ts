import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { WebhookDeliveryEntity } from '../database/entities/webhook-delivery.entity';
import {
  MessagingService,
  SendRejectedError,
  sendResultPayload,
} from '../messages/messaging.service';
import { resolveHookUrl } from '../webhooks/hook-target';
import { WebhookDispatcher, type DeliveryOutcome } from '../webhooks/webhook-dispatcher.service';
import { parseMessageVerb, type MessageVerb } from './message-verb';

/**
 * Runs the verbs an application answers its messaging webhook with: each `message` verb is sent
 * through the same path as the Messages API, and its actionHook is told the outcome.
 */
@Injectable()
export class VerbsService implements OnModuleInit {
  private readonly logger = new Logger('Verbs');

  constructor(
    private readonly messaging: MessagingService,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  onModuleInit(): void {
    this.webhooks.onOutcome('messaging_hook', (delivery, outcome) => this.run(delivery, outcome));
  }

  async run(delivery: WebhookDeliveryEntity, outcome: DeliveryOutcome): Promise<void> {
    if (outcome.state !== 'delivered' || !Array.isArray(outcome.body)) return;
    const verbs: unknown[] = outcome.body;
    for (const [index, raw] of verbs.entries()) {
      const verb = parseMessageVerb(raw);
      if (verb === null) {
        this.logger.log(`message ${delivery.message_sid}: verb ${index} is not for SMS; skipped`);
        continue;
      }
      if (typeof verb === 'string') {
        this.logger.warn(`message ${delivery.message_sid}: verb ${index} is invalid and skipped: ${verb}`);
        continue;
      }
      await this.runMessageVerb(delivery, verb);
    }
  }

  private async runMessageVerb(delivery: WebhookDeliveryEntity, verb: MessageVerb): Promise<void> {
    let actionHook: { url: string; method: 'POST' | 'GET' } | undefined;
    if (verb.actionHook) {
      try {
        actionHook = { url: resolveHookUrl(verb.actionHook.url, delivery.url), method: verb.actionHook.method };
      } catch {
        this.logger.warn(`message ${delivery.message_sid}: the actionHook is not a URL; it will not be called`);
      }
    }
    let payload: Record<string, unknown>;
    let messageSid = delivery.message_sid;
    try {
      const outcome = await this.messaging.send({
        accountSid: delivery.account_sid,
        applicationSid: delivery.application_sid,
        from: verb.from,
        to: verb.to,
        text: verb.text,
        media: verb.media,
        provider: verb.provider,
        parentMessageSid: delivery.message_sid,
      });
      messageSid = outcome.message.sid;
      payload = sendResultPayload(outcome);
    } catch (err) {
      const noCarrier = err instanceof SendRejectedError && (err.reason === 'no-provider' || err.reason === 'unknown-provider');
      const reason = err instanceof Error ? err.message : String(err);
      this.logger.warn(`message ${delivery.message_sid}: the message verb was not sent: ${reason}`);
      payload = {
        message_sid: null,
        message_status: noCarrier ? 'no carriers' : err instanceof SendRejectedError ? 'failure' : 'system error',
        message_failure_reason: reason,
        carrier: verb.provider ?? null,
      };
    }
    if (!actionHook) return;
    await this.webhooks.enqueue({
      kind: 'action_hook',
      messageSid,
      accountSid: delivery.account_sid,
      applicationSid: delivery.application_sid,
      target: actionHook,
      payload,
    });
  }
}
