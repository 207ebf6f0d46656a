import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { MessagingHookDto } from './messaging-hook.dto';
import { IsStoredText } from '../../common/stored-text.validator';

export class CreateApplicationDto {
  @ApiProperty({ example: 'Support line', maxLength: 255 })
  @IsStoredText(255)
  name!: string;

  @ApiProperty({ example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b', format: 'uuid' })
  @IsUUID()
  account_sid!: string;

  @ApiPropertyOptional({
    type: MessagingHookDto,
    nullable: true,
    description: "Without it, messages to the application's numbers are refused (404)",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MessagingHookDto)
  messaging_hook?: MessagingHookDto | null;
}
