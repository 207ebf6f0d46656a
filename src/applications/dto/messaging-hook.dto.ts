import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUrl, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { IsStoredText } from '../../common/stored-text.validator';

export const HOOK_METHODS = ['POST', 'GET'] as const;
export type HookMethod = (typeof HOOK_METHODS)[number];

/** http(s) only, with a host; credentials belong in username/password, never in the URL. */
const HOOK_URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_host: true,
  require_tld: false,
  disallow_auth: true,
};

/** Control characters and spaces, which isURL lets through in a path but no client sends. */
const hasControlCharacters = (value: string): boolean =>
  [...value].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);

function IsHookUrl(): PropertyDecorator {
  return applyDecorators(
    IsUrl(HOOK_URL_OPTIONS, {
      message:
        '$property must be an http:// or https:// URL, without credentials (use username and password)',
    }),
    ValidateBy({
      name: 'hasNoControlCharacters',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasControlCharacters(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'url'} must not contain spaces or control characters`,
      },
    }),
    MaxLength(2048),
  );
}

const upperCase = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.toUpperCase() : value;

/** The webhook that receives this application's inbound messages. */
export class MessagingHookDto {
  @ApiProperty({ example: 'https://app.example.com/sms', maxLength: 2048 })
  @IsHookUrl()
  url!: string;

  @ApiPropertyOptional({ enum: HOOK_METHODS, default: 'POST', example: 'POST' })
  @IsOptional()
  @Transform(upperCase)
  @IsIn(HOOK_METHODS)
  method?: HookMethod;

  @ApiPropertyOptional({
    example: 'sms-hook',
    type: String,
    maxLength: 255,
    description: 'HTTP Basic user',
  })
  @IsOptional()
  @IsStoredText(255)
  username?: string | null;

  @ApiPropertyOptional({
    example: 's3cr3t-hook-pass',
    type: String,
    maxLength: 255,
    description: 'HTTP Basic password, needs a username; stored and never returned',
    writeOnly: true,
  })
  @IsOptional()
  @IsStoredText(255, { allowEmpty: true })
  password?: string | null;
}

/**
 * A change to the hook, field by field: an absent field keeps its value; null clears the username
 * or the password (clearing the username clears the password too), while `url` and `method` cannot
 * be null. `url` is needed only when there is no hook yet.
 */
export class UpdateMessagingHookDto {
  @ApiPropertyOptional({ example: 'https://app.example.com/sms/v2', maxLength: 2048 })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsHookUrl()
  url?: string;

  @ApiPropertyOptional({ enum: HOOK_METHODS, example: 'GET' })
  @ValidateIf((_dto, value) => value !== undefined)
  @Transform(upperCase)
  @IsIn(HOOK_METHODS)
  method?: HookMethod;

  @ApiPropertyOptional({ example: 'sms-hook', nullable: true, type: String, maxLength: 255 })
  @IsOptional()
  @IsStoredText(255)
  username?: string | null;

  @ApiPropertyOptional({
    example: 'n3w-hook-pass',
    nullable: true,
    type: String,
    maxLength: 255,
    writeOnly: true,
    description: 'Absent keeps the stored password; null removes it',
  })
  @IsOptional()
  @IsStoredText(255, { allowEmpty: true })
  password?: string | null;
}

/** The hook as the API shows it: the password is never returned, only whether there is one. */
export class MessagingHookViewDto {
  @ApiProperty({ example: 'https://app.example.com/sms' })
  url!: string;

  @ApiProperty({ enum: HOOK_METHODS, example: 'POST' })
  method!: HookMethod;

  @ApiProperty({ example: 'sms-hook', nullable: true, type: String })
  username!: string | null;

  @ApiProperty({ example: true, description: 'Whether a Basic auth password is stored' })
  has_password!: boolean;
}
