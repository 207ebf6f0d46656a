import { ApiProperty } from '@nestjs/swagger';

/** An account as the API shows it: never with its webhook secret. */
export class AccountDto {
  @ApiProperty({ example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b', format: 'uuid' })
  sid!: string;

  @ApiProperty({ example: 'Acme Corp' })
  name!: string;

  @ApiProperty({ example: '2025-01-31T12:00:00.000Z', format: 'date-time' })
  created_at!: string;
}
