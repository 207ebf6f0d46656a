import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsHookTarget, IsMediaList, IsTextOrMedia } from './message-validators';

/** The body of POST /v1/Accounts/{sid}/Messages. */
export class SendMessageDto {
  @ApiProperty({
    example: '13322060388',
    description: 'The sending number: digits with country code, E.164 (`+1...`) or national',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  from!: string;

  @ApiProperty({ example: '+15083084809', description: 'The recipient number' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  to!: string;

  @ApiPropertyOptional({
    example: 'please call when you can',
    description: 'The text; required unless `media` is given. Unicode is sent as UCS-2.',
  })
  @IsTextOrMedia()
  text?: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', format: 'uri' },
      { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 10 },
    ],
    example: ['https://example.com/picture.jpg'],
    description: 'MMS media: one http(s) URL or a list of them',
  })
  @IsOptional()
  @IsMediaList()
  media?: string | string[];

  @ApiPropertyOptional({
    example: 'peerless',
    description: 'The configured provider to send through; the default provider when absent',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  provider?: string;

  @ApiPropertyOptional({
    example: 'peerless',
    description: 'Same as `provider` (the name the jambonz `message` verb uses)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  carrier?: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', format: 'uri' },
      {
        type: 'object',
        required: ['url'],
        properties: {
          url: { type: 'string', format: 'uri' },
          method: { type: 'string', enum: ['POST', 'GET'], default: 'POST' },
        },
      },
    ],
    example: { url: 'https://example.com/sms/status', method: 'POST' },
    description:
      'Called once the send ends with `{message_sid, message_status: "success" | "failure", ' +
      "message_failure_reason?, carrier, carrier_message_id?}`, signed with the account's " +
      'webhook secret (`Jambonz-Signature`) and retried like the messaging webhook',
  })
  @IsOptional()
  @IsHookTarget()
  status_hook?: string | { url: string; method?: string };
}
