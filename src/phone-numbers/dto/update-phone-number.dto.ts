import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

/** A partial update: absent fields keep their value. */
export class UpdatePhoneNumberDto {
  @ApiPropertyOptional({ example: '+15085710839', description: 'A new number, normalised' })
  // Only an absent number is optional: null is not a number, and must be refused here.
  @ValidateIf((_dto, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  number?: string;

  @ApiPropertyOptional({
    example: '6d2f8b3a-1c4e-4a7b-9d0e-2f3a4b5c6d7e',
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Another application of the same account, or null to unassign the number',
  })
  @IsOptional()
  @IsUUID()
  application_sid?: string | null;

  @ApiPropertyOptional({
    example: '9f3b1c2e-5a4d-4e6f-8a7b-1c2d3e4f5a6b',
    format: 'uuid',
    description: 'Accepted only when it is the current account: numbers do not change account',
  })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsUUID()
  account_sid?: string;
}
