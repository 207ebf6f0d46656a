import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class WebhookSecretQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '`true` replaces the secret with a new random one and returns it',
    example: 'true',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  regenerate?: 'true' | 'false';
}

export class WebhookSecretDto {
  @ApiProperty({
    example: 'wh_5f0c2d7e9a1b4c3d8e6f7a0b1c2d3e4f',
    nullable: true,
    type: String,
    description: 'HMAC-SHA256 key of the Jambonz-Signature header on webhooks to this account',
  })
  webhook_secret!: string | null;
}
