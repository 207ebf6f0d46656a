import { ApiProperty } from '@nestjs/swagger';

export class PhoneNumberDto {
  @ApiProperty({ example: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', format: 'uuid' })
  sid!: string;

  @ApiProperty({ example: '15085710838', description: 'Digits only, country code first' })
  number!: string;

  @ApiProperty({ example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b', format: 'uuid' })
  account_sid!: string;

  @ApiProperty({
    example: '6d2f8b3a-1c4e-4a7b-9d0e-2f3a4b5c6d7e',
    format: 'uuid',
    nullable: true,
    type: String,
  })
  application_sid!: string | null;

  @ApiProperty({ example: '2025-01-31T12:00:00.000Z', format: 'date-time' })
  created_at!: string;
}
