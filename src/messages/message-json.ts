import type {
  DeliveryAttemptEntity,
  MessageEntity,
  MessageEventEntity,
  WebhookDeliveryEntity,
} from '../database/entities';
import { redactSecrets, redactUrlCredentials, REDACTED } from '../common/redact';
import type { DeliveryAttemptDto, MessageDto, MessageEventDto } from './dto/message.dto';

/** Secret-looking query parameters inside free text (a plug-in's error may quote a URL). */
const SECRET_QUERY =
  /([?&](?:pass|password|pwd|passwd|secret|token|api[_-]?key|apikey|key|auth)=)[^&\s"'#]*/gi;

/** A text shown to callers with any credentials a URL in it carried replaced. */
export function scrubSecrets(text: string): string {
  return redactUrlCredentials(text).replace(SECRET_QUERY, `$1${REDACTED}`);
}

export function toMessageDto(m: MessageEntity): MessageDto {
  return {
    sid: m.sid,
    account_sid: m.account_sid,
    application_sid: m.application_sid,
    direction: m.direction,
    provider: m.provider,
    from: m.from,
    to: m.to,
    cc: m.cc,
    text: m.text,
    media: m.media,
    segments: m.segments,
    encoding: m.encoding,
    status: m.status,
    failure_reason: m.failure_reason === null ? null : scrubSecrets(m.failure_reason),
    provider_message_id: m.provider_message_id,
    provider_response: m.provider_response ?? null,
    parent_message_sid: m.parent_message_sid,
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}

export function toMessageEventDto(e: MessageEventEntity): MessageEventDto {
  return {
    status: e.status,
    detail: e.detail === null ? null : scrubSecrets(e.detail),
    created_at: e.created_at,
  };
}

export function toDeliveryAttemptDto(
  a: DeliveryAttemptEntity,
  delivery: WebhookDeliveryEntity | undefined,
): DeliveryAttemptDto {
  return {
    kind: delivery?.kind ?? 'unknown',
    // A hook URL may carry credentials in its user info or query.
    url: delivery ? String(redactSecrets(delivery.url)) : '',
    method: delivery?.method ?? '',
    attempt: a.attempt,
    status_code: a.status_code,
    error: a.error === null ? null : scrubSecrets(a.error),
    duration_ms: a.duration_ms,
    created_at: a.created_at,
  };
}
