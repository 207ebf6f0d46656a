import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class ListApplicationsQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b',
    description: 'Only the applications of this account',
  })
  @IsOptional()
  @IsUUID()
  account_sid?: string;
}
