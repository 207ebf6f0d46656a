import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class ListApiKeysQueryDto {
  @ApiPropertyOptional({
    example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b',
    format: 'uuid',
    description: 'Only the keys of this account',
  })
  @IsOptional()
  @IsUUID()
  account_sid?: string;
}
