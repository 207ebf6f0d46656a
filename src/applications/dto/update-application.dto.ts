import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsUUID, ValidateIf, ValidateNested } from 'class-validator';
import { UpdateMessagingHookDto } from './messaging-hook.dto';
import { IsStoredText } from '../../common/stored-text.validator';

/** A partial update: absent fields keep their value. */
export class UpdateApplicationDto {
  @ApiPropertyOptional({ example: 'Support line (EU)', maxLength: 255 })
  // Only an absent name is optional: null would reach the database's NOT NULL column.
  @ValidateIf((_dto, value) => value !== undefined)
  @IsStoredText(255)
  name?: string;

  @ApiPropertyOptional({
    example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b',
    format: 'uuid',
    description: 'Accepted only when it is the current account: applications do not change account',
  })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsUUID()
  account_sid?: string;

  @ApiPropertyOptional({
    type: UpdateMessagingHookDto,
    nullable: true,
    description: 'Changes the hook field by field; null removes the hook',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateMessagingHookDto)
  messaging_hook?: UpdateMessagingHookDto | null;
}
