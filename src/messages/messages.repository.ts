import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, type DataSource, type Repository } from 'typeorm';
import { newSid } from '../common/ids';
import {
  DeliveryAttemptEntity,
  MessageEntity,
  MessageEventEntity,
  WebhookDeliveryEntity,
} from '../database/entities';
import type { MessageDirection, MessageStatus } from '../database/entities/message.entity';
import { nowIso } from '../common/time';
import { columnList, DirectSql, json, type Param, placeholders } from '../database/direct-sql';
import { DELIVERY_COLUMNS, deliveryParams } from '../webhooks/webhook-deliveries.repository';
import { previousStatuses } from './message-status';

const LIFECYCLE: readonly MessageStatus[] = ['queued', 'sent', 'failed', 'received', 'failed-to-app', 'delivered-to-app'];

export interface MessageListQuery {
  accountSid: string;
  direction?: MessageDirection;
  status?: MessageStatus;
  /** A normalised number that is the sender or one of the recipients. */
  number?: string;
  /** ISO timestamps, inclusive start and exclusive end. */
  after?: string;
  before?: string;
  limit: number;
  /** The cursor: created_at and sid of the last message of the previous page. */
  cursor?: { createdAt: string; sid: string };
}

export type StatusChange = Partial<
  Pick<MessageEntity, 'failure_reason' | 'provider_message_id' | 'provider_response'>
>;

const MESSAGE_COLUMNS = [
  'sid', 'account_sid', 'application_sid', 'direction', 'provider', 'from', 'to', 'cc', 'text', 'media', 'segments',
  'encoding', 'status', 'failure_reason', 'provider_message_id', 'provider_response', 'parent_message_sid',
  'idempotency_key', 'request_hash', 'created_at', 'updated_at',
] as const;
const EVENT_COLUMNS = ['id', 'message_sid', 'status', 'detail', 'created_at'] as const;

function messageParams(m: MessageEntity): Param[] {
  return [
    m.sid, m.account_sid, m.application_sid, m.direction, m.provider, m.from, json(m.to), json(m.cc), m.text,
    json(m.media), m.segments, m.encoding, m.status, m.failure_reason, m.provider_message_id,
    json(m.provider_response), m.parent_message_sid, m.idempotency_key, m.request_hash, m.created_at, m.updated_at,
  ];
}

type MessageRow = Omit<MessageEntity, 'to' | 'cc' | 'media' | 'provider_response'> & {
  to: string;
  cc: string;
  media: string;
  provider_response: string | null;
};

function toMessage(row: MessageRow | undefined): MessageEntity | null {
  if (!row) return null;
  return Object.assign(new MessageEntity(), {
    ...row,
    segments: Number(row.segments),
    to: JSON.parse(row.to) as string[],
    cc: JSON.parse(row.cc) as string[],
    media: JSON.parse(row.media) as string[],
    provider_response: row.provider_response === null ? null : (JSON.parse(row.provider_response) as unknown),
  });
}

/**
 * The message log. What every message runs (store it, move its status, find it by sid or key) is
 * plain SQL through `DirectSql`, each statement built once; listings go through TypeORM.
 */
@Injectable()
export class MessagesRepository implements OnApplicationShutdown {
  private readonly sql: DirectSql;
  private readonly texts = new Map<string, string>();

  constructor(
    @InjectDataSource() db: DataSource,
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    @InjectRepository(MessageEventEntity) private readonly events: Repository<MessageEventEntity>,
    @InjectRepository(DeliveryAttemptEntity) private readonly attempts: Repository<DeliveryAttemptEntity>,
  ) {
    this.sql = new DirectSql(db);
  }

  onApplicationShutdown(): Promise<void> {
    return this.sql.close();
  }

  /** The text of a statement, built on first use. */
  private text(key: string, build: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      text = build();
      this.texts.set(key, text);
    }
    return text;
  }

  private insertSql(table: string, columns: readonly string[]): string {
    return this.text(`insert:${table}`, () => `INSERT INTO ${table} (${columnList(columns)}) VALUES (${placeholders(this.sql.engine, columns.length)})`);
  }

  /** Stores a message with the first step of its history, and any deliveries it owes, at once. */
  async create(message: MessageEntity, deliveries: WebhookDeliveryEntity[] = [], detail: string | null = null): Promise<void> {
    const event: Param[] = [newSid(), message.sid, message.status, detail, message.updated_at];
    if (this.sql.engine === 'sqlite') {
      const [insertMessage, insertEvent, insertDelivery] = [
        this.insertSql('messages', MESSAGE_COLUMNS),
        this.insertSql('message_events', EVENT_COLUMNS),
        this.insertSql('webhook_deliveries', DELIVERY_COLUMNS),
      ];
      await this.sql.write([
        { sql: insertMessage, params: messageParams(message) },
        { sql: insertEvent, params: event },
        ...deliveries.map((d) => ({ sql: insertDelivery, params: deliveryParams(d) })),
      ]);
      return;
    }
    // One statement: one round trip, and as atomic as a transaction.
    const statement = this.text(`pg:create:${deliveries.length}`, () => {
      let next = 1;
      const values = (columns: readonly string[]): string => {
        const text = `(${placeholders('postgres', columns.length, next)})`;
        next += columns.length;
        return text;
      };
      const insertMessage = `INSERT INTO messages (${columnList(MESSAGE_COLUMNS)}) VALUES ${values(MESSAGE_COLUMNS)}`;
      const insertEvent = `INSERT INTO message_events (${columnList(EVENT_COLUMNS)}) VALUES ${values(EVENT_COLUMNS)}`;
      if (deliveries.length === 0) return `WITH m AS (${insertMessage}) ${insertEvent}`;
      const rows = deliveries.map(() => values(DELIVERY_COLUMNS)).join(', ');
      return `WITH m AS (${insertMessage}), e AS (${insertEvent}) INSERT INTO webhook_deliveries (${columnList(DELIVERY_COLUMNS)}) VALUES ${rows}`;
    });
    await this.sql.pg(statement, [...messageParams(message), ...event, ...deliveries.flatMap(deliveryParams)]);
  }

  /**
   * Moves a message to `status` when its current status may precede it (statuses never move
   * backwards), recording the step. Returns false when the move was not allowed.
   */
  async transition(sid: string, status: MessageStatus, change: StatusChange = {}, detail: string | null = null): Promise<boolean> {
    const updatedAt = nowIso();
    const set: Array<[string, Param]> = [
      ['status', status],
      ['updated_at', updatedAt],
    ];
    if (change.failure_reason !== undefined) set.push(['failure_reason', change.failure_reason]);
    if (change.provider_message_id !== undefined) set.push(['provider_message_id', change.provider_message_id]);
    // Stored as JSON text, like the simple-json column TypeORM reads it back from.
    if (change.provider_response !== undefined) set.push(['provider_response', json(change.provider_response)]);
    const from = previousStatuses(status);
    const values = set.map(([, v]) => v);
    const eventId = newSid();
    const key = `transition:${set.map(([c]) => c).join(',')}:${from.length}`;
    if (this.sql.engine === 'sqlite') {
      const update = this.text(
        key,
        () => `UPDATE messages SET ${set.map(([c]) => `"${c}" = ?`).join(', ')} WHERE sid = ? AND status IN (${placeholders('sqlite', from.length)})`,
      );
      const insertEvent = this.insertSql('message_events', EVENT_COLUMNS);
      const changed = await this.sql.write([
        { sql: update, params: [...values, sid, ...from] },
        { sql: insertEvent, params: [eventId, sid, status, detail, updatedAt], ifChanged: true },
      ]);
      return changed > 0;
    }
    // The step is recorded only when the update moved the row, in the same statement.
    const statement = this.text(key, () => {
      const n = set.length;
      const e = n + from.length + 2;
      return (
        `WITH u AS (UPDATE messages SET ${set.map(([c], i) => `"${c}" = $${i + 1}`).join(', ')} ` +
        `WHERE sid = $${n + 1} AND status IN (${placeholders('postgres', from.length, n + 2)}) RETURNING sid) ` +
        `INSERT INTO message_events (${columnList(EVENT_COLUMNS)}) ` +
        `SELECT $${e}::varchar, u.sid, $${e + 1}::varchar, $${e + 2}::text, $${e + 3}::varchar FROM u`
      );
    });
    const result = await this.sql.pg(statement, [...values, sid, ...from, eventId, status, detail, updatedAt]);
    return result.count > 0;
  }

  findBySid(sid: string): Promise<MessageEntity | null> {
    return this.findOne('sid', ['sid'], [sid]);
  }

  findByIdempotencyKey(accountSid: string, key: string): Promise<MessageEntity | null> {
    return this.findOne('idempotency', ['account_sid', 'idempotency_key'], [accountSid, key]);
  }

  private async findOne(name: string, columns: string[], params: Param[]): Promise<MessageEntity | null> {
    const pg = this.sql.engine === 'postgres';
    const statement = this.text(`find:${name}`, () => {
      const where = columns.map((c, i) => `${c} = ${pg ? `$${i + 1}` : '?'}`).join(' AND ');
      return `SELECT ${columnList(MESSAGE_COLUMNS)} FROM messages WHERE ${where} LIMIT 1`;
    });
    const row = pg ? (await this.sql.pg<MessageRow>(statement, params)).rows[0] : this.sql.get<MessageRow>(statement, params);
    return toMessage(row);
  }

  /**
   * Frees an expired idempotency key for reuse (the key is unique per account). Only the message
   * still holding `key` loses it, so two callers freeing it at once do no harm.
   */
  async releaseIdempotencyKey(sid: string, key: string): Promise<void> {
    await this.messages.update({ sid, idempotency_key: key }, { idempotency_key: null });
  }

  /** Newest first; asks for one more than `limit` so the caller knows whether a page follows. */
  list(q: MessageListQuery): Promise<MessageEntity[]> {
    const qb = this.messages.createQueryBuilder('m').where('m.account_sid = :account', { account: q.accountSid });
    if (q.direction) qb.andWhere('m.direction = :direction', { direction: q.direction });
    if (q.status) qb.andWhere('m.status = :status', { status: q.status });
    if (q.after) qb.andWhere('m.created_at >= :after', { after: q.after });
    if (q.before) qb.andWhere('m.created_at < :before', { before: q.before });
    if (q.number) {
      // `to` and `cc` are JSON arrays of digit strings, so a quoted match is exact.
      qb.andWhere(
        new Brackets((w) =>
          w.where('m.from = :number').orWhere('m.to LIKE :quoted').orWhere('m.cc LIKE :quoted'),
        ),
        { number: q.number, quoted: `%"${q.number}"%` },
      );
    }
    if (q.cursor) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('m.created_at < :cAt', { cAt: q.cursor!.createdAt })
            .orWhere(new Brackets((x) => x.where('m.created_at = :cAt').andWhere('m.sid < :cSid', { cSid: q.cursor!.sid }))),
        ),
      );
    }
    return qb.orderBy('m.created_at', 'DESC').addOrderBy('m.sid', 'DESC').take(q.limit + 1).getMany();
  }

  /**
   * Oldest first. Two steps may share a millisecond; since a status never moves backwards, the
   * order of the lifecycle breaks the tie.
   */
  async history(sid: string): Promise<MessageEventEntity[]> {
    const events = await this.events.find({ where: { message_sid: sid }, order: { created_at: 'ASC' } });
    const rank = (status: string): number => LIFECYCLE.indexOf(status as MessageStatus);
    return events.sort((a, b) => a.created_at.localeCompare(b.created_at) || rank(a.status) - rank(b.status));
  }

  deliveryAttempts(sid: string): Promise<DeliveryAttemptEntity[]> {
    return this.attempts.find({ where: { message_sid: sid }, order: { created_at: 'ASC', attempt: 'ASC' } });
  }

  replies(parentSid: string): Promise<MessageEntity[]> {
    return this.messages.find({ where: { parent_message_sid: parentSid }, order: { created_at: 'ASC' } });
  }
}
