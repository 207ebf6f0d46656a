import { HttpException } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { AccountsService } from '../accounts/accounts.service';
import type { Principal } from '../auth/principal';
import type { MessageEntity } from '../database/entities/message.entity';
import type { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';
import type { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import type { SendMessageDto } from './dto/send-message.dto';
import { requestHash } from './idempotency';
import type { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { type MessagingService, SendRejectedError } from './messaging.service';

const ACCOUNT = '9351f46a-678c-43f5-b8a6-d4eb58d131af';
const admin: Principal = { kind: 'admin' };

function message(over: Partial<MessageEntity> = {}): MessageEntity {
  const now = new Date().toISOString();
  return {
    sid: '6cc512e7-1dea-4cf6-bcca-e5a638884524',
    account_sid: ACCOUNT,
    application_sid: null,
    direction: 'outbound',
    provider: 'peerless',
    from: '13322060388',
    to: ['15083084809'],
    cc: [],
    text: 'hi',
    media: [],
    segments: 1,
    encoding: 'GSM-7',
    status: 'sent',
    failure_reason: null,
    provider_message_id: null,
    provider_response: { ok: true },
    parent_message_sid: null,
    idempotency_key: 'k',
    request_hash: null,
    created_at: now,
    updated_at: now,
    ...over,
  };
}

const statusOf = async (work: Promise<unknown>): Promise<number> => {
  try {
    await work;
  } catch (err) {
    if (err instanceof HttpException) return err.getStatus();
    throw err;
  }
  return 0;
};

describe('MessagesService.send', () => {
  const dto: SendMessageDto = { from: '13322060388', to: '15083084809', text: 'hi' };
  const hash = requestHash(dto);
  let messaging: { send: jest.Mock; normalize: jest.Mock };
  let repo: {
    findByIdempotencyKey: jest.Mock;
    findBySid: jest.Mock;
    releaseIdempotencyKey: jest.Mock;
  };
  let service: MessagesService;

  beforeEach(() => {
    messaging = { send: jest.fn(), normalize: jest.fn() };
    repo = {
      findByIdempotencyKey: jest.fn().mockResolvedValue(null),
      findBySid: jest.fn(),
      releaseIdempotencyKey: jest.fn().mockResolvedValue(undefined),
    };
    service = new MessagesService(
      { getOrThrow: () => ({ providerTimeoutMs: 300 }) } as unknown as ConfigService,
      { assertReachable: jest.fn().mockResolvedValue(undefined) } as unknown as AccountsService,
      messaging as unknown as MessagingService,
      repo as unknown as MessagesRepository,
      {} as WebhookDeliveriesRepository,
      { assertAllowed: jest.fn().mockResolvedValue(undefined) } as unknown as WebhookUrlPolicy,
    );
  });

  it.each([
    ['invalid-number', 400],
    ['unknown-provider', 400],
    ['no-provider', 503],
    ['foreign-number', 403],
  ] as const)('turns the %s refusal into %i', async (reason, status) => {
    messaging.send.mockRejectedValue(new SendRejectedError(reason, 'refused'));
    expect(await statusOf(service.send(admin, ACCOUNT, dto))).toBe(status);
  });

  /** What storing a message answers when its key is already held (the unique index). */
  const keyTaken = () => Object.assign(new Error('duplicate key'), { code: '23505' });

  it('answers a repeated key as a replay of the message holding it', async () => {
    const first = message({ request_hash: hash });
    messaging.send.mockRejectedValue(keyTaken());
    repo.findByIdempotencyKey.mockResolvedValue(first);
    const answer = await service.send(admin, ACCOUNT, dto, 'k');
    expect(answer).toEqual({
      status: 201,
      body: { sid: first.sid, providerResponse: { ok: true } },
      replayed: true,
    });
    // The key is looked up only after storing was refused, and it is stored once.
    expect(messaging.send).toHaveBeenCalledTimes(1);
    expect(repo.findByIdempotencyKey).toHaveBeenCalledWith(ACCOUNT, 'k');
  });

  it('does not look the key up when the message is stored', async () => {
    const stored = message({ request_hash: hash });
    messaging.send.mockResolvedValue({ ok: true, message: stored, providerResponse: { ok: true } });
    const answer = await service.send(admin, ACCOUNT, dto, 'k');
    expect(answer).toEqual({
      status: 201,
      body: { sid: stored.sid, providerResponse: { ok: true } },
      replayed: false,
    });
    expect(repo.findByIdempotencyKey).not.toHaveBeenCalled();
  });

  it('lets other database errors through', async () => {
    const boom = new Error('disk full');
    messaging.send.mockRejectedValue(boom);
    await expect(service.send(admin, ACCOUNT, dto, 'k')).rejects.toBe(boom);
    expect(repo.findByIdempotencyKey).not.toHaveBeenCalled();
  });

  it('waits for a first request still with its provider, then replays its answer', async () => {
    messaging.send.mockRejectedValue(keyTaken());
    repo.findByIdempotencyKey.mockResolvedValue(message({ status: 'queued', request_hash: hash }));
    repo.findBySid
      .mockResolvedValueOnce(message({ status: 'queued', request_hash: hash }))
      .mockResolvedValueOnce(
        message({
          status: 'failed',
          request_hash: hash,
          failure_reason: 'peerless: timed out',
          provider_response: null,
        }),
      );
    const answer = await service.send(admin, ACCOUNT, dto, 'k');
    expect(answer).toEqual({
      status: 502,
      body: { sid: message().sid, msg: 'the message was not sent: peerless: timed out' },
      replayed: true,
    });
    expect(messaging.send).toHaveBeenCalledTimes(1);
  });

  it('gives up waiting with a 409 when the first request never finishes', async () => {
    messaging.send.mockRejectedValue(keyTaken());
    repo.findByIdempotencyKey.mockResolvedValue(message({ status: 'queued', request_hash: hash }));
    repo.findBySid.mockResolvedValue(message({ status: 'queued', request_hash: hash }));
    // The wait is bounded by the provider timeout plus a margin.
    expect(await statusOf(service.send(admin, ACCOUNT, dto, 'k'))).toBe(409);
  }, 10000);

  it('refuses a key used with another body', async () => {
    messaging.send.mockRejectedValue(keyTaken());
    repo.findByIdempotencyKey.mockResolvedValue(message({ request_hash: 'f'.repeat(64) }));
    expect(await statusOf(service.send(admin, ACCOUNT, dto, 'k'))).toBe(422);
    expect(messaging.send).toHaveBeenCalledTimes(1);
  });

  it('frees a key older than 24 hours and stores anew', async () => {
    const old = message({
      request_hash: hash,
      created_at: new Date(Date.now() - 25 * 3600e3).toISOString(),
    });
    repo.findByIdempotencyKey.mockResolvedValue(old);
    const fresh = message({ sid: '0b6a5a53-1d2b-4c53-9d3c-6f1d2d6e7f80' });
    messaging.send
      .mockRejectedValueOnce(keyTaken())
      .mockResolvedValueOnce({ ok: true, message: fresh, providerResponse: { ok: true } });
    const answer = await service.send(admin, ACCOUNT, dto, 'k');
    expect(repo.releaseIdempotencyKey).toHaveBeenCalledWith(old.sid, 'k');
    expect(answer.body.sid).toBe(fresh.sid);
    expect(answer.replayed).toBe(false);
    expect(messaging.send).toHaveBeenCalledTimes(2);
    expect(messaging.send).toHaveBeenLastCalledWith(
      expect.objectContaining({ idempotencyKey: 'k', requestHash: hash }),
    );
  });

  it('stores anew when the key was freed in the meantime', async () => {
    const fresh = message({ sid: '0b6a5a53-1d2b-4c53-9d3c-6f1d2d6e7f80' });
    messaging.send
      .mockRejectedValueOnce(keyTaken())
      .mockResolvedValueOnce({ ok: true, message: fresh, providerResponse: { ok: true } });
    repo.findByIdempotencyKey.mockResolvedValue(null);
    const answer = await service.send(admin, ACCOUNT, dto, 'k');
    expect(answer.body.sid).toBe(fresh.sid);
    expect(repo.releaseIdempotencyKey).not.toHaveBeenCalled();
  });

  it('tries three times at most, then lets the refusal through', async () => {
    const taken = keyTaken();
    messaging.send.mockRejectedValue(taken);
    repo.findByIdempotencyKey.mockResolvedValue(null);
    await expect(service.send(admin, ACCOUNT, dto, 'k')).rejects.toBe(taken);
    expect(messaging.send).toHaveBeenCalledTimes(3);
  });

  it('removes credentials from a failure reason it answers with', async () => {
    messaging.send.mockResolvedValue({
      ok: false,
      message: message({
        status: 'failed',
        provider_response: null,
        failure_reason: 'x: GET https://u:pw@h/send?user=a&pass=hunter2&to=1 failed',
      }),
      reason: '',
      timedOut: false,
    });
    const answer = await service.send(admin, ACCOUNT, dto);
    expect(answer.status).toBe(502);
    expect(JSON.stringify(answer)).not.toMatch(/hunter2|pw@/);
  });
});
