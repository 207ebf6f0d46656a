import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MessagingHookDto } from './messaging-hook.dto';

export class CreateApplicationDto {
  @ApiProperty({ example: 'Support line', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
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
