import { ApiProperty } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 'invalid API key', description: 'What went wrong, for a person to read' })
  msg!: string;
}
