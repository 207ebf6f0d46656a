import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccountsService } from '../accounts/accounts.service';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, type AppConfig } from '../config/environment';
import type { MessageEntity } from '../database/entities/message.entity';
import type { RequestContext } from '../logging/request-context';
import type { HookTarget } from '../webhooks/hook-target';
import { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';
import { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import type { ListMessagesQuery } from './dto/list-messages.query';
import { DEFAULT_PAGE_SIZE } from './dto/list-messages.query';
import type { MessageDetailDto, MessageListDto } from './dto/message.dto';
import type {
  SendFailedResponseDto,
  SendMessageResponseDto,
} from './dto/send-message-response.dto';
import type { SendMessageDto } from './dto/send-message.dto';
import { isExpired, isUniqueViolation, requestHash } from './idempotency';
import {
  scrubSecrets,
  toDeliveryAttemptDto,
  toMessageDto,
  toMessageEventDto,
} from './message-json';
import { MessagesRepository } from './messages.repository';
import {
  MessagingService,
  SendRejectedError,
  type SendRejection,
  type SendRequest,
} from './messaging.service';

export type SendAnswer =
  | { status: 201; body: SendMessageResponseDto; replayed: boolean }
  | { status: 502; body: SendFailedResponseDto; replayed: boolean };

interface Cursor {
  createdAt: string;
  sid: string;
}

const REJECTION_STATUS: Record<SendRejection, (msg: string) => HttpException> = {
  'invalid-number': (msg) => new BadRequestException({ msg }),
  'unknown-provider': (msg) => new BadRequestException({ msg }),
  'no-provider': (msg) => new ServiceUnavailableException({ msg }),
  'foreign-number': (msg) => new ForbiddenException({ msg }),
};

const REPLAY_POLL_MS = 100;
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SID = /^[0-9a-f-]{1,36}$/;

function encodeCursor(m: MessageEntity): string {
  return Buffer.from(JSON.stringify({ c: m.created_at, s: m.sid }), 'utf8').toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as {
      c?: unknown;
      s?: unknown;
    };
    const { c, s } = parsed;
    // Exactly the stored forms, so nothing else ever reaches the query.
    if (typeof c === 'string' && STORED_TIME.test(c) && typeof s === 'string' && SID.test(s)) {
      return { createdAt: c, sid: s };
    }
  } catch {
    // falls through to the refusal below
  }
  throw new BadRequestException({
    msg: 'cursor is not valid: pass the next_cursor of a previous page',
  });
}

/** Stored timestamps are fixed-width UTC ISO strings; a bound must have the same form to compare. */
function isoBound(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new BadRequestException({ msg: `${name} must be an ISO-8601 timestamp` });
  return new Date(ms).toISOString();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP side of the message log: sends through `MessagingService` with Idempotency-Key replay,
 * and reads the log of one account.
 */
@Injectable()
export class MessagesService {
  private readonly config: AppConfig;

  constructor(
    @Inject(ConfigService) configService: ConfigService,
    private readonly accounts: AccountsService,
    private readonly messaging: MessagingService,
    private readonly messages: MessagesRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly urlPolicy: WebhookUrlPolicy,
  ) {
    this.config = configService.getOrThrow<AppConfig>(APP_CONFIG);
  }

  /** 403 for another account's key, 404 for an unknown account: the accounts' own rule. */
  private async requireAccount(principal: Principal, accountSid: string): Promise<void> {
    await this.accounts.assertReachable(principal, accountSid);
  }

  private async statusHook(
    raw: SendMessageDto['status_hook'] | null,
  ): Promise<HookTarget | undefined> {
    // Validation lets null through as "absent", like the other optional fields.
    if (raw === undefined || raw === null) return undefined;
    const target: HookTarget =
      typeof raw === 'string'
        ? { url: raw, method: 'POST' }
        : { url: raw.url, method: raw.method?.toUpperCase() === 'GET' ? 'GET' : 'POST' };
    await this.urlPolicy.assertAllowed(target.url, 'status_hook');
    return target;
  }

  private providerName(dto: SendMessageDto): string | undefined {
    if (dto.provider !== undefined && dto.carrier !== undefined && dto.provider !== dto.carrier) {
      throw new BadRequestException({
        msg: 'provider and carrier name different providers: give one',
      });
    }
    return dto.provider ?? dto.carrier;
  }

  /**
   * Sends one message. With an Idempotency-Key, a repeat of the same body within 24 hours gets the
   * first answer and sends nothing; the same key with another body is refused.
   *
   * The key is not looked up first: the message is stored with it, and the unique index on
   * (account, key) refuses a repeat before anything is sent. Only then is the first message read,
   * to answer as its replay, or, when its 24 hours are over, to free the key and store again.
   */
  async send(
    principal: Principal,
    accountSid: string,
    dto: SendMessageDto,
    idempotencyKey?: string,
    context?: RequestContext,
  ): Promise<SendAnswer> {
    await this.requireAccount(principal, accountSid);
    const hash = idempotencyKey === undefined ? undefined : requestHash(dto);
    const provider = this.providerName(dto);
    const statusHook = await this.statusHook(dto.status_hook);
    const request: SendRequest = {
      accountSid,
      from: dto.from,
      to: dto.to,
      ...(dto.text !== undefined ? { text: dto.text } : {}),
      ...(dto.media !== undefined
        ? { media: typeof dto.media === 'string' ? [dto.media] : dto.media }
        : {}),
      ...(provider !== undefined ? { provider } : {}),
      ...(idempotencyKey !== undefined ? { idempotencyKey, requestHash: hash } : {}),
      ...(statusHook ? { statusHook } : {}),
      ...(context ? { context } : {}),
    };
    for (let stored = 0; ; stored++) {
      try {
        const outcome = await this.messaging.send(request);
        return this.answerFor(outcome.message, false);
      } catch (err) {
        if (err instanceof SendRejectedError) throw REJECTION_STATUS[err.reason](err.message);
        const repeated =
          idempotencyKey !== undefined && hash !== undefined && isUniqueViolation(err);
        // Each round finds the first message, or frees its expired key, or finds the key freed:
        // the rounds are bounded all the same.
        if (!repeated || stored >= 2) throw err;
        const first = await this.messages.findByIdempotencyKey(accountSid, idempotencyKey);
        if (first && !isExpired(first.created_at)) return this.replay(first, hash);
        if (first) await this.messages.releaseIdempotencyKey(first.sid, idempotencyKey);
      }
    }
  }

  private async replay(first: MessageEntity, hash: string): Promise<SendAnswer> {
    if (first.request_hash !== hash) {
      throw new UnprocessableEntityException({
        msg: 'this Idempotency-Key was already used with a different request body',
      });
    }
    let message: MessageEntity | null = first;
    // The first request may still be waiting for its provider; its answer is bounded by the timeout.
    const deadline = Date.now() + this.config.providerTimeoutMs + 2000;
    while (message?.status === 'queued' && Date.now() < deadline) {
      await sleep(REPLAY_POLL_MS);
      message = await this.messages.findBySid(first.sid);
    }
    if (!message || message.status === 'queued') {
      throw new ConflictException({
        msg: 'a request with this Idempotency-Key is still in progress; retry later',
      });
    }
    return this.answerFor(message, true);
  }

  /** The answer to a send, from the stored message alone, so that a replay repeats it exactly. */
  private answerFor(m: MessageEntity, replayed: boolean): SendAnswer {
    if (m.status === 'sent') {
      return {
        status: 201,
        body: { sid: m.sid, providerResponse: m.provider_response ?? null },
        replayed,
      };
    }
    const reason = scrubSecrets(m.failure_reason ?? 'the provider did not confirm the send');
    return {
      status: 502,
      body: {
        sid: m.sid,
        msg: `the message was not sent: ${reason}`,
        ...(m.provider_response !== null && m.provider_response !== undefined
          ? { providerResponse: m.provider_response }
          : {}),
      },
      replayed,
    };
  }

  async list(
    principal: Principal,
    accountSid: string,
    q: ListMessagesQuery,
  ): Promise<MessageListDto> {
    await this.requireAccount(principal, accountSid);
    let number: string | undefined;
    if (q.number !== undefined) {
      number = this.messaging.normalize(q.number);
      if (!number) throw new BadRequestException({ msg: 'number is not a phone number' });
    }
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = isoBound('after', q.after);
    const before = isoBound('before', q.before);
    const rows = await this.messages.list({
      accountSid,
      limit,
      ...(q.direction ? { direction: q.direction } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(number ? { number } : {}),
      ...(after ? { after } : {}),
      ...(before ? { before } : {}),
      ...(q.cursor !== undefined ? { cursor: decodeCursor(q.cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
    return {
      data: page.map(toMessageDto),
      next_cursor: nextCursor,
      next_page_uri: nextCursor === null ? null : this.pageUri(accountSid, q, limit, nextCursor),
    };
  }

  private pageUri(accountSid: string, q: ListMessagesQuery, limit: number, cursor: string): string {
    const params = new URLSearchParams({ limit: String(limit) });
    for (const key of ['direction', 'status', 'number', 'after', 'before'] as const) {
      const value = q[key];
      if (value !== undefined) params.set(key, value);
    }
    params.set('cursor', cursor);
    return `/v1/Accounts/${accountSid}/Messages?${params.toString()}`;
  }

  async get(
    principal: Principal,
    accountSid: string,
    messageSid: string,
  ): Promise<MessageDetailDto> {
    await this.requireAccount(principal, accountSid);
    const message = await this.messages.findBySid(messageSid);
    if (!message || message.account_sid !== accountSid) {
      throw new NotFoundException({ msg: `message ${messageSid} not found` });
    }
    const [history, attempts, deliveries, replies] = await Promise.all([
      this.messages.history(messageSid),
      this.messages.deliveryAttempts(messageSid),
      this.deliveries.listByMessage(messageSid),
      this.messages.replies(messageSid),
    ]);
    const byId = new Map(deliveries.map((d) => [d.id, d]));
    return {
      ...toMessageDto(message),
      history: history.map(toMessageEventDto),
      delivery_attempts: attempts.map((a) => toDeliveryAttemptDto(a, byId.get(a.delivery_id))),
      replies: replies.map(toMessageDto),
    };
  }
}
