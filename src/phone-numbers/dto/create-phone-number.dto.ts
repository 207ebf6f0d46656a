import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class CreatePhoneNumberDto {
  @ApiProperty({
    example: '+1 (508) 571-0838',
    description:
      'Any common spelling of the number; it is stored as digits with the country code first ' +
      '(`15085710838`), national numbers taking DEFAULT_COUNTRY',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  number!: string;

  @ApiProperty({ example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b', format: 'uuid' })
  @IsUUID()
  account_sid!: string;

  @ApiPropertyOptional({
    example: '6d2f8b3a-1c4e-4a7b-9d0e-2f3a4b5c6d7e',
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The application that receives messages to this number; of the same account',
  })
  @IsOptional()
  @IsUUID()
  application_sid?: string | null;
}
