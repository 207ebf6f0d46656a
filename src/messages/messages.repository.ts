import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager, In, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  DeliveryAttemptEntity,
  MessageEntity,
  MessageEventEntity,
  WebhookDeliveryEntity,
} from '../database/entities';
import type { MessageDirection, MessageStatus } from '../database/entities/message.entity';
import { nowIso } from '../common/time';
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

@Injectable()
export class MessagesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    @InjectRepository(MessageEventEntity) private readonly events: Repository<MessageEventEntity>,
    @InjectRepository(DeliveryAttemptEntity) private readonly attempts: Repository<DeliveryAttemptEntity>,
  ) {}

  private event(em: EntityManager, message: MessageEntity, detail: string | null): Promise<unknown> {
    return em.insert(MessageEventEntity, {
      id: randomUUID(),
      message_sid: message.sid,
      status: message.status,
      detail,
      created_at: message.updated_at,
    });
  }

  /** Stores a message with the first step of its history, and any deliveries it owes, at once. */
  async create(message: MessageEntity, deliveries: WebhookDeliveryEntity[] = [], detail: string | null = null): Promise<void> {
    await this.db.transaction(async (em) => {
      // provider_response is any JSON value, which TypeORM's insert typing cannot express.
      await em.insert(MessageEntity, message as QueryDeepPartialEntity<MessageEntity>);
      await this.event(em, message, detail);
      if (deliveries.length > 0) await em.insert(WebhookDeliveryEntity, deliveries);
    });
  }

  /**
   * Moves a message to `status` when its current status may precede it (statuses never move
   * backwards), recording the step. Returns false when the move was not allowed.
   */
  async transition(sid: string, status: MessageStatus, change: StatusChange = {}, detail: string | null = null): Promise<boolean> {
    const updatedAt = nowIso();
    return this.db.transaction(async (em) => {
      const set: Record<string, unknown> = { status, updated_at: updatedAt };
      if (change.failure_reason !== undefined) set.failure_reason = change.failure_reason;
      if (change.provider_message_id !== undefined) set.provider_message_id = change.provider_message_id;
      // The simple-json column serialises the value itself; a string here would be stored twice encoded.
      if (change.provider_response !== undefined) set.provider_response = change.provider_response;
      const result = await em
        .createQueryBuilder()
        .update(MessageEntity)
        .set(set)
        .where({ sid, status: In(previousStatuses(status)) })
        .execute();
      if (!result.affected) return false;
      await em.insert(MessageEventEntity, { id: randomUUID(), message_sid: sid, status, detail, created_at: updatedAt });
      return true;
    });
  }

  findBySid(sid: string): Promise<MessageEntity | null> {
    return this.messages.findOneBy({ sid });
  }

  findByIdempotencyKey(accountSid: string, key: string): Promise<MessageEntity | null> {
    return this.messages.findOneBy({ account_sid: accountSid, idempotency_key: key });
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
