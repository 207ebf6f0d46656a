import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({
    example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b',
    format: 'uuid',
    description: 'The account the key acts for; an account key may only name its own account',
  })
  @IsUUID()
  account_sid!: string;
}
