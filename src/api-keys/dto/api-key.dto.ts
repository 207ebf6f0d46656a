import { ApiProperty } from '@nestjs/swagger';

/** A key as lists show it: never with its token, which only its creation returns. */
export class ApiKeyDto {
  @ApiProperty({ example: '3c1e7a2b-8d4f-4b6a-9e0c-5f2d1a7b8c9d', format: 'uuid' })
  sid!: string;

  @ApiProperty({ example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b', format: 'uuid' })
  account_sid!: string;

  @ApiProperty({ example: '2025-01-31T12:00:00.000Z', format: 'date-time' })
  created_at!: string;
}

export class CreatedApiKeyDto {
  @ApiProperty({ example: '3c1e7a2b-8d4f-4b6a-9e0c-5f2d1a7b8c9d', format: 'uuid' })
  sid!: string;

  @ApiProperty({
    example: 'q3X9bM0vN8rT2kL5pW7sY1zA4cE6gH8jK0mO2qS4uV6',
    description:
      'The bearer token. Shown only in this answer: the gateway keeps a hash of it, not the token',
  })
  token!: string;
}
