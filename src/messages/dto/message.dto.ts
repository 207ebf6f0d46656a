import { ApiProperty } from '@nestjs/swagger';

const SID = '6cc512e7-1dea-4cf6-bcca-e5a638884524';

/** One message of the log, as the API shows it. */
export class MessageDto {
  @ApiProperty({ example: SID })
  sid!: string;

  @ApiProperty({ example: '9351f46a-678c-43f5-b8a6-d4eb58d131af' })
  account_sid!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Set for inbound messages and for replies sent by a `message` verb',
  })
  application_sid!: string | null;

  @ApiProperty({ enum: ['inbound', 'outbound'], example: 'outbound' })
  direction!: string;

  @ApiProperty({ example: 'peerless' })
  provider!: string;

  @ApiProperty({ example: '13322060388', description: 'Digits only, country code first' })
  from!: string;

  @ApiProperty({ type: [String], example: ['15083084809'] })
  to!: string[];

  @ApiProperty({ type: [String], example: [] })
  cc!: string[];

  @ApiProperty({ nullable: true, type: String, example: 'please call when you can' })
  text!: string | null;

  @ApiProperty({ type: [String], example: [] })
  media!: string[];

  @ApiProperty({ example: 1, description: 'SMS segments the text takes' })
  segments!: number;

  @ApiProperty({ enum: ['GSM-7', 'UCS-2'], example: 'GSM-7' })
  encoding!: string;

  @ApiProperty({
    enum: ['queued', 'sent', 'failed', 'received', 'delivered-to-app', 'failed-to-app'],
    example: 'sent',
  })
  status!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  failure_reason!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: "The provider's id of the message, when its answer named one",
  })
  provider_message_id!: string | null;

  @ApiProperty({
    nullable: true,
    description: "What the provider's plug-in returned for an outbound message",
    example: { responseText: 'OK. Message Submitted Successfully' },
  })
  provider_response!: unknown;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'The inbound message this one replies to',
  })
  parent_message_sid!: string | null;

  @ApiProperty({ example: '2026-01-05T14:03:07.123Z' })
  created_at!: string;

  @ApiProperty({ example: '2026-01-05T14:03:07.456Z' })
  updated_at!: string;
}

export class MessageEventDto {
  @ApiProperty({ example: 'sent' })
  status!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  detail!: string | null;

  @ApiProperty({ example: '2026-01-05T14:03:07.456Z' })
  created_at!: string;
}

/** One HTTP call to an application about this message. */
export class DeliveryAttemptDto {
  @ApiProperty({ enum: ['messaging_hook', 'action_hook', 'status_hook'], example: 'status_hook' })
  kind!: string;

  @ApiProperty({ example: 'https://example.com/sms/status' })
  url!: string;

  @ApiProperty({ enum: ['POST', 'GET'], example: 'POST' })
  method!: string;

  @ApiProperty({ example: 1 })
  attempt!: number;

  @ApiProperty({ nullable: true, type: Number, example: 200 })
  status_code!: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Network error or timeout',
  })
  error!: string | null;

  @ApiProperty({ example: 12 })
  duration_ms!: number;

  @ApiProperty({ example: '2026-01-05T14:03:07.500Z' })
  created_at!: string;
}

export class MessageDetailDto extends MessageDto {
  @ApiProperty({
    type: [MessageEventDto],
    description: 'Every status the message went through, oldest first',
  })
  history!: MessageEventDto[];

  @ApiProperty({
    type: [DeliveryAttemptDto],
    description: 'Webhook calls about this message, oldest first',
  })
  delivery_attempts!: DeliveryAttemptDto[];

  @ApiProperty({
    type: [MessageDto],
    description: 'Messages sent in reply to this one, oldest first',
  })
  replies!: MessageDto[];
}

export class MessageListDto {
  @ApiProperty({ type: [MessageDto], description: 'Newest first' })
  data!: MessageDto[];

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'eyJjIjoiMjAyNi0wMS0wNVQxNDowMzowNy4xMjNaIiwicyI6IjZjYzUxMmU3In0',
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  next_cursor!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example:
      '/v1/Accounts/9351f46a-678c-43f5-b8a6-d4eb58d131af/Messages?limit=50&cursor=eyJjIjoi...',
    description: 'The path of the next page with the same filters; null on the last page',
  })
  next_page_uri!: string | null;
}
