import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { basicAuthorization } from '../common/basic-auth';
import { newSid } from '../common/ids';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import type { DeliveryKind, WebhookDeliveryEntity } from '../database/entities/webhook-delivery.entity';
import { isoIn, nowIso } from '../common/time';
import { redactUrlCredentials } from '../common/redact';
import { toQueryString, type HookTarget } from './hook-target';
import { jambonzSignature } from './webhook-signature';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookUrlPolicy } from './webhook-url.policy';
import { WebhookCallError, WebhookHttpClient } from './webhook-http.client';
import { MetricsService } from '../metrics/metrics.service';

export interface NewDelivery {
  kind: DeliveryKind;
  messageSid: string;
  accountSid: string;
  applicationSid: string | null;
  target: HookTarget;
  payload: Record<string, unknown>;
}

/** How a delivery ended: `body` is the parsed JSON of a 2xx answer (undefined when not JSON). */
export interface DeliveryOutcome {
  state: 'delivered' | 'failed';
  /** `HTTP 503`, `timed out`, ... */
  summary: string;
  body?: unknown;
}

export type OutcomeHandler = (delivery: WebhookDeliveryEntity, outcome: DeliveryOutcome) => Promise<void>;

interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  body?: string;
  retryable: boolean;
}

const RETRYABLE_4XX = new Set([408, 429]);

/**
 * Calls applications: every call is first stored as a delivery (the outbox), then made at once
 * by the process that stored it; failures are retried with capped exponential backoff by the
 * poller, which also picks up what a stopped or killed process left behind.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly config: AppConfig;
  private readonly handlers: Array<{ kind: DeliveryKind; handler: OutcomeHandler }> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private stopped = false;

  constructor(
    @Inject(ConfigService) configService: ConfigService,
    private readonly http: WebhookHttpClient,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly urlPolicy: WebhookUrlPolicy,
    private readonly metrics: MetricsService,
  ) {
    this.config = configService.getOrThrow<AppConfig>(APP_CONFIG);
  }

  /** A lease outlasts one attempt, so no other process takes a delivery that is under way. */
  private leaseUntil(): string {
    return isoIn(this.config.webhookTimeoutMs + 5000);
  }

  /** Runs `handler` once a delivery of `kind` has ended, delivered or finally failed. */
  onOutcome(kind: DeliveryKind, handler: OutcomeHandler): void {
    this.handlers.push({ kind, handler });
  }

  /**
   * A delivery row, already leased to this process, to be stored (possibly with its message, in
   * one transaction) and then passed to `start`.
   */
  build(d: NewDelivery): WebhookDeliveryEntity {
    const now = nowIso();
    return {
      id: newSid(),
      message_sid: d.messageSid,
      account_sid: d.accountSid,
      application_sid: d.applicationSid,
      kind: d.kind,
      url: d.target.url,
      method: d.target.method,
      payload: JSON.stringify(d.payload),
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      locked_until: this.leaseUntil(),
      last_error: null,
      created_at: now,
      updated_at: now,
    };
  }

  /** Stores and starts a delivery that has no message row to share a transaction with. */
  async enqueue(d: NewDelivery): Promise<void> {
    const delivery = this.build(d);
    await this.deliveries.insert(delivery);
    this.start(delivery);
  }

  /** Makes the first attempt of a stored delivery now, without the caller waiting for it. */
  start(delivery: WebhookDeliveryEntity): void {
    if (this.stopped) return;
    const work = this.attempt(delivery).catch((err: unknown) =>
      this.logger.error(`delivery ${delivery.id} of message ${delivery.message_sid} broke: ${String(err)}`),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  onApplicationBootstrap(): void {
    this.schedulePoll(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    // Attempts under way finish (each is bounded by the webhook timeout); anything still pending
    // stays stored for the next start.
    await Promise.allSettled([...this.inFlight]);
    await this.http.close();
  }

  private schedulePoll(delay: number): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => void this.poll(), delay);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const due = await this.deliveries.claimDue(100, this.leaseUntil());
      for (const delivery of due) this.start(delivery);
    } catch (err) {
      this.logger.warn(`looking for pending deliveries failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.polling = false;
      this.schedulePoll(this.config.webhookPollMs);
    }
  }

  private backoff(attempts: number): number {
    const exp = this.config.webhookRetryBaseMs * 2 ** Math.max(0, attempts - 1);
    const capped = Math.min(exp, this.config.webhookRetryMaxMs);
    return Math.round(capped / 2 + (Math.random() * capped) / 2);
  }

  private async attempt(delivery: WebhookDeliveryEntity): Promise<void> {
    const started = performance.now();
    const result = await this.call(delivery);
    const durationMs = performance.now() - started;
    const attempts = delivery.attempts + 1;
    const where = `message ${delivery.message_sid} ${delivery.kind} attempt ${attempts}`;
    let state: 'delivered' | 'failed' | 'pending';
    let nextAttemptAt: string | undefined;
    if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) {
      state = 'delivered';
    } else if (result.retryable && attempts < this.config.webhookMaxAttempts) {
      state = 'pending';
      nextAttemptAt = isoIn(this.backoff(attempts));
    } else {
      state = 'failed';
    }
    const owned = await this.deliveries.finishAttempt(
      { delivery, statusCode: result.statusCode, error: result.error, durationMs },
      { state, nextAttemptAt },
    );
    this.metrics.webhookAttempt(delivery.kind, state, durationMs / 1000);
    if (!owned) {
      this.logger.warn(`${where}: the lease was lost; another process owns this delivery now`);
      return;
    }
    const outcome = result.error ?? `HTTP ${result.statusCode}`;
    if (state === 'delivered') {
      // A first-time success is the normal case (debug); one after retries is news (info).
      const line = `${where}: delivered (${outcome}) in ${Math.round(durationMs)} ms`;
      if (attempts > 1) this.logger.log(line);
      else this.logger.debug(line);
    } else if (state === 'pending') {
      this.logger.warn(`${where}: ${outcome}; retrying at ${nextAttemptAt}`);
    } else {
      this.logger.warn(`${where}: ${outcome}; giving up`);
    }
    if (state === 'pending') return;
    const ended: DeliveryOutcome = {
      state,
      summary: outcome,
      body: state === 'delivered' ? this.parseBody(result.body) : undefined,
    };
    for (const { kind, handler } of this.handlers) {
      if (kind !== delivery.kind) continue;
      try {
        await handler(delivery, ended);
      } catch (err) {
        this.logger.error(`${where}: handling the outcome failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private parseBody(body: string | undefined): unknown {
    if (!body) return undefined;
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }

  private async call(delivery: WebhookDeliveryEntity): Promise<AttemptResult> {
    try {
      await this.urlPolicy.checkAtDelivery(delivery.url);
    } catch (err) {
      return { statusCode: null, error: err instanceof Error ? err.message : String(err), retryable: false };
    }
    const creds = await this.deliveries.credentials(delivery.account_sid, delivery.application_sid);
    const isGet = delivery.method === 'GET';
    let url = delivery.url;
    if (isGet) {
      const target = new URL(delivery.url);
      const query = toQueryString(JSON.parse(delivery.payload) as Record<string, unknown>);
      target.search = target.search ? `${target.search}&${query}` : query;
      url = target.toString();
    }
    const body = isGet ? '' : delivery.payload;
    const headers: Record<string, string> = { 'user-agent': 'sms-gateway', accept: 'application/json, text/plain, */*' };
    if (!isGet) headers['content-type'] = 'application/json';
    if (creds.webhookSecret) headers['jambonz-signature'] = jambonzSignature(creds.webhookSecret, body);
    if (creds.username) {
      headers.authorization = basicAuthorization(creds.username, creds.password ?? '');
    }
    try {
      const res = await this.http.request({ method: isGet ? 'GET' : 'POST', url, headers, ...(isGet ? {} : { body }) });
      const status = res.status;
      return {
        statusCode: status,
        error: null,
        body: res.body,
        retryable: status >= 500 || RETRYABLE_4XX.has(status),
      };
    } catch (err) {
      const e = err instanceof WebhookCallError ? err : new WebhookCallError('ERROR', false, `network error ${String(err)}`);
      if (e.status !== undefined) {
        // The application answered (a 2xx took the message), only its answer is unreadable: it
        // is judged by its status like any other answer, without verbs, so it is not sent twice.
        return {
          statusCode: e.status,
          error: `${e.message}; it was not read`,
          retryable: e.status >= 500 || RETRYABLE_4XX.has(e.status),
        };
      }
      return { statusCode: null, error: e.timedOut ? 'timed out' : redactUrlCredentials(e.message), retryable: true };
    }
  }
}
