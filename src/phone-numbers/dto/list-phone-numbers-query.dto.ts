import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class ListPhoneNumbersQueryDto {
  @ApiPropertyOptional({ format: 'uuid', example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b' })
  @IsOptional()
  @IsUUID()
  account_sid?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '6d2f8b3a-1c4e-4a7b-9d0e-2f3a4b5c6d7e' })
  @IsOptional()
  @IsUUID()
  application_sid?: string;
}
