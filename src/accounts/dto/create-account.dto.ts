import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, MinLength } from 'class-validator';
import { IsStoredText } from '../../common/stored-text.validator';

export class CreateAccountDto {
  @ApiProperty({ example: 'Acme Corp', maxLength: 255 })
  @IsStoredText(255)
  name!: string;

  @ApiPropertyOptional({
    description:
      "Signs the webhooks sent to this account's applications (`Jambonz-Signature`). When absent, " +
      'the gateway generates one; read it with GET /v1/Accounts/{sid}/WebhookSecret.',
    example: 'wh_5f0c2d7e9a1b4c3d8e6f7a0b1c2d3e4f',
    minLength: 8,
    maxLength: 255,
  })
  @IsOptional()
  @IsStoredText(255)
  @MinLength(8)
  webhook_secret?: string;
}
