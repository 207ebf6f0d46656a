import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import {
  AccountEntity,
  ApplicationEntity,
  DeliveryAttemptEntity,
  WebhookDeliveryEntity,
} from '../database/entities';
import { nowIso } from '../common/time';

export interface HookCredentials {
  username: string | null;
  password: string | null;
  webhookSecret: string | null;
}

export interface AttemptRecord {
  delivery: WebhookDeliveryEntity;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The outbox of calls owed to applications, and the record of every attempt. */
@Injectable()
export class WebhookDeliveriesRepository {
  private readonly postgres: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectRepository(DeliveryAttemptEntity) private readonly attempts: Repository<DeliveryAttemptEntity>,
    @InjectRepository(ApplicationEntity) private readonly applications: Repository<ApplicationEntity>,
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
  ) {
    this.postgres = db.options.type === 'postgres';
  }

  async insert(delivery: WebhookDeliveryEntity): Promise<void> {
    await this.deliveries.insert(delivery);
  }

  /**
   * Leases up to `limit` due deliveries to this process until `leaseUntil`. On PostgreSQL,
   * SKIP LOCKED lets several gateways claim side by side without ever taking the same row;
   * SQLite serialises writers, so the same statement is safe there without it.
   */
  async claimDue(limit: number, leaseUntil: string): Promise<WebhookDeliveryEntity[]> {
    const now = nowIso();
    if (this.postgres) {
      const rows: WebhookDeliveryEntity[] = await this.db.query(
        `UPDATE webhook_deliveries SET locked_until = $1, updated_at = $2
         WHERE id IN (
           SELECT id FROM webhook_deliveries
           WHERE state = 'pending' AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [leaseUntil, now, limit],
      );
      return rows.length === 2 && Array.isArray(rows[0]) ? (rows[0] as WebhookDeliveryEntity[]) : rows;
    }
    return this.db.query(
      `UPDATE webhook_deliveries SET locked_until = ?, updated_at = ?
       WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE state = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
         ORDER BY next_attempt_at LIMIT ?)
       RETURNING *`,
      [leaseUntil, now, now, now, limit],
    );
  }

  /**
   * Ends or reschedules a delivery after an attempt, and records the attempt, in one
   * transaction. The update holds only while this process still owns the lease it claimed.
   */
  async finishAttempt(
    attempt: AttemptRecord,
    outcome: { state: 'delivered' | 'failed' | 'pending'; nextAttemptAt?: string },
  ): Promise<boolean> {
    const { delivery } = attempt;
    const now = nowIso();
    return this.db.transaction(async (em) => {
      const result = await em
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({
          state: outcome.state,
          attempts: delivery.attempts + 1,
          next_attempt_at: outcome.nextAttemptAt ?? delivery.next_attempt_at,
          locked_until: null,
          last_error: attempt.error ?? (attempt.statusCode !== null && outcome.state !== 'delivered' ? `HTTP ${attempt.statusCode}` : null),
          updated_at: now,
        })
        .where('id = :id AND state = :pending AND locked_until = :lease', {
          id: delivery.id,
          pending: 'pending',
          lease: delivery.locked_until,
        })
        .execute();
      await em.insert(DeliveryAttemptEntity, {
        id: randomUUID(),
        delivery_id: delivery.id,
        message_sid: delivery.message_sid,
        attempt: delivery.attempts + 1,
        status_code: attempt.statusCode,
        error: attempt.error,
        duration_ms: Math.round(attempt.durationMs),
        created_at: now,
      });
      return Boolean(result.affected);
    });
  }

  /** The application's Basic credentials and the account's signing secret, read at delivery time. */
  async credentials(accountSid: string, applicationSid: string | null): Promise<HookCredentials> {
    const [account, application] = await Promise.all([
      this.accounts.findOne({ where: { sid: accountSid }, select: { sid: true, webhook_secret: true } }),
      applicationSid
        ? this.applications.findOne({
            where: { sid: applicationSid },
            select: { sid: true, messaging_hook_username: true, messaging_hook_password: true },
          })
        : Promise.resolve(null),
    ]);
    return {
      username: application?.messaging_hook_username ?? null,
      password: application?.messaging_hook_password ?? null,
      webhookSecret: account?.webhook_secret ?? null,
    };
  }

  countPending(): Promise<number> {
    return this.deliveries.countBy({ state: 'pending' });
  }

  listByMessage(messageSid: string): Promise<WebhookDeliveryEntity[]> {
    return this.deliveries.find({ where: { message_sid: messageSid }, order: { created_at: 'ASC' } });
  }
}
