import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import { newSid } from '../common/ids';
import { WebhookDeliveryEntity } from '../database/entities';
import { nowIso } from '../common/time';
import { columnList, DirectSql, type Param, placeholders } from '../database/direct-sql';

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

export const DELIVERY_COLUMNS = [
  'id', 'message_sid', 'account_sid', 'application_sid', 'kind', 'url', 'method', 'payload', 'state', 'attempts',
  'next_attempt_at', 'locked_until', 'last_error', 'created_at', 'updated_at',
] as const;

/** A delivery's values in the order of DELIVERY_COLUMNS. */
export function deliveryParams(d: WebhookDeliveryEntity): Param[] {
  return [
    d.id, d.message_sid, d.account_sid, d.application_sid, d.kind, d.url, d.method, d.payload, d.state, d.attempts,
    d.next_attempt_at, d.locked_until, d.last_error, d.created_at, d.updated_at,
  ];
}

/** How long hook credentials read for a delivery are trusted without reading them again. */
export const HOOK_CREDENTIALS_TTL_MS = 5000;
/** Bounds the cache; beyond it the cache starts over rather than grow. */
const HOOK_CREDENTIALS_CACHE_MAX = 10_000;

const ATTEMPT_COLUMNS = ['id', 'delivery_id', 'message_sid', 'attempt', 'status_code', 'error', 'duration_ms', 'created_at'] as const;

/**
 * The outbox of calls owed to applications, and the record of every attempt. What every delivery
 * runs (store it, read its credentials, finish an attempt) is plain SQL through `DirectSql`.
 */
@Injectable()
export class WebhookDeliveriesRepository implements OnApplicationShutdown {
  /** `account application` -> what a delivery to them is signed and authenticated with. */
  private readonly credentialsCache = new ExpiringCache<HookCredentials>(HOOK_CREDENTIALS_TTL_MS, HOOK_CREDENTIALS_CACHE_MAX);
  private readonly postgres: boolean;
  private readonly sql: DirectSql;
  private readonly statements: { insert: string; credentials: string; finishUpdate: string; finishInsert: string; finishPg: string };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
  ) {
    this.postgres = db.options.type === 'postgres';
    this.sql = new DirectSql(db);
    const engine = this.sql.engine;
    const p = (n: number): string => (this.postgres ? `$${n}` : '?');
    const update =
      `UPDATE webhook_deliveries SET state = ${p(1)}, attempts = ${p(2)}, next_attempt_at = ${p(3)}, locked_until = NULL, ` +
      `last_error = ${p(4)}, updated_at = ${p(5)} WHERE id = ${p(6)} AND state = 'pending' AND locked_until = ${p(7)}`;
    const insertAttempt = `INSERT INTO delivery_attempts (${columnList(ATTEMPT_COLUMNS)}) VALUES (${placeholders(engine, ATTEMPT_COLUMNS.length, 8)})`;
    this.statements = {
      insert: `INSERT INTO webhook_deliveries (${columnList(DELIVERY_COLUMNS)}) VALUES (${placeholders(engine, DELIVERY_COLUMNS.length)})`,
      // SQLite is given the application's sid twice, PostgreSQL reuses $2.
      credentials:
        `SELECT (SELECT webhook_secret FROM accounts WHERE sid = ${p(1)}) AS webhook_secret, ` +
        `(SELECT messaging_hook_username FROM applications WHERE sid = ${p(2)}) AS username, ` +
        `(SELECT messaging_hook_password FROM applications WHERE sid = ${p(2)}) AS password`,
      finishUpdate: update,
      finishInsert: insertAttempt,
      // Both at once on PostgreSQL: one statement, one round trip.
      finishPg: `WITH u AS (${update} RETURNING 1), a AS (${insertAttempt}) SELECT count(*)::int AS n FROM u`,
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.sql.close();
  }

  async insert(delivery: WebhookDeliveryEntity): Promise<void> {
    if (this.postgres) await this.sql.pg(this.statements.insert, deliveryParams(delivery));
    else await this.sql.write([{ sql: this.statements.insert, params: deliveryParams(delivery) }]);
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
    const update: Param[] = [
      outcome.state,
      delivery.attempts + 1,
      outcome.nextAttemptAt ?? delivery.next_attempt_at,
      attempt.error ?? (attempt.statusCode !== null && outcome.state !== 'delivered' ? `HTTP ${attempt.statusCode}` : null),
      now,
      delivery.id,
      delivery.locked_until,
    ];
    const record: Param[] = [
      newSid(),
      delivery.id,
      delivery.message_sid,
      delivery.attempts + 1,
      attempt.statusCode,
      attempt.error,
      Math.round(attempt.durationMs),
      now,
    ];
    if (this.postgres) {
      const { rows } = await this.sql.pg<{ n: number }>(this.statements.finishPg, [...update, ...record]);
      return (rows[0]?.n ?? 0) > 0;
    }
    const changed = await this.sql.write([
      { sql: this.statements.finishUpdate, params: update },
      { sql: this.statements.finishInsert, params: record },
    ]);
    return changed > 0;
  }

  /**
   * The application's Basic credentials and the account's signing secret, for a delivery: read
   * from the database, and remembered for a few seconds (every delivery needs them). A change
   * through this process is seen at once (`forgetCredentials`), through another process sharing
   * the database within HOOK_CREDENTIALS_TTL_MS.
   */
  async credentials(accountSid: string, applicationSid: string | null): Promise<HookCredentials> {
    const key = `${accountSid} ${applicationSid ?? ''}`;
    const hit = this.credentialsCache.get(key);
    if (hit) return hit;
    const snapshot = this.credentialsCache.snapshot();
    type Row = { webhook_secret: string | null; username: string | null; password: string | null };
    const row = this.postgres
      ? (await this.sql.pg<Row>(this.statements.credentials, [accountSid, applicationSid])).rows[0]
      : this.sql.get<Row>(this.statements.credentials, [accountSid, applicationSid, applicationSid]);
    const credentials: HookCredentials = {
      username: row?.username ?? null,
      password: row?.password ?? null,
      webhookSecret: row?.webhook_secret ?? null,
    };
    this.credentialsCache.set(key, credentials, snapshot);
    return credentials;
  }

  /** After a change to an account's webhook secret or an application's hook credentials. */
  forgetCredentials(): void {
    this.credentialsCache.clear();
  }

  countPending(): Promise<number> {
    return this.deliveries.countBy({ state: 'pending' });
  }

  listByMessage(messageSid: string): Promise<WebhookDeliveryEntity[]> {
    return this.deliveries.find({ where: { message_sid: messageSid }, order: { created_at: 'ASC' } });
  }
}
