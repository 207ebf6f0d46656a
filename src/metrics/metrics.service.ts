import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';

export type ProviderSendOutcome = 'success' | 'failure' | 'timeout';
/** What one webhook attempt led to: the delivery is done, will be retried, or was given up. */
export type WebhookAttemptOutcome = 'delivered' | 'retry' | 'failed';

/**
 * The gateway's Prometheus metrics. Each application instance has its own registry (not
 * prom-client's global one), so that several gateways in one process do not share counters.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly messages: Counter<'direction' | 'provider' | 'status'>;
  private readonly providerSendSeconds: Histogram<'provider' | 'outcome'>;
  private readonly webhookSeconds: Histogram<'kind' | 'outcome'>;
  private readonly webhookAttempts: Counter<'kind' | 'outcome'>;
  private readonly webhookFailures: Counter<'kind'>;

  constructor(deliveries: WebhookDeliveriesRepository) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.messages = new Counter({
      name: 'sms_messages_total',
      help: 'Messages stored, by direction, provider and the status they reached (counted once per status)',
      labelNames: ['direction', 'provider', 'status'],
      registers,
    });
    this.providerSendSeconds = new Histogram({
      name: 'sms_provider_send_duration_seconds',
      help: "Time a provider plug-in's send took, by provider and outcome",
      labelNames: ['provider', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.webhookSeconds = new Histogram({
      name: 'sms_webhook_delivery_duration_seconds',
      help: "Time one call to an application's webhook took, by kind and outcome",
      labelNames: ['kind', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'sms_webhook_delivery_attempts_total',
      help: 'Webhook calls made, by kind and what they led to (delivered, retry, failed)',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.webhookFailures = new Counter({
      name: 'sms_webhook_delivery_failures_total',
      help: 'Webhook deliveries given up (a final 4xx, or every attempt failed), by kind',
      labelNames: ['kind'],
      registers,
    });
    const logger = this.logger;
    new Gauge({
      name: 'sms_webhook_deliveries_pending',
      help: 'Webhook deliveries stored and not yet delivered or given up (all gateways sharing the database)',
      registers,
      async collect() {
        try {
          this.set(await deliveries.countPending());
        } catch (err) {
          // The last value stays; the scrape itself must not fail because the database does.
          logger.warn(
            `counting pending deliveries failed: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      },
    });
  }

  /** A message was stored with, or moved to, `status`. */
  messageStored(direction: string, provider: string, status: string): void {
    this.messages.inc({ direction, provider, status });
  }

  providerSend(provider: string, outcome: ProviderSendOutcome, seconds: number): void {
    this.providerSendSeconds.observe({ provider, outcome }, seconds);
  }

  /** One webhook attempt; a `failed` outcome also counts the delivery as given up. */
  webhookAttempt(kind: string, outcome: WebhookAttemptOutcome | 'pending', seconds: number): void {
    const label: WebhookAttemptOutcome = outcome === 'pending' ? 'retry' : outcome;
    this.webhookAttempts.inc({ kind, outcome: label });
    this.webhookSeconds.observe({ kind, outcome: label }, seconds);
    if (label === 'failed') this.webhookFailures.inc({ kind });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
