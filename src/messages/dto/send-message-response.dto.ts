import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SendMessageResponseDto {
  @ApiProperty({ example: '6cc512e7-1dea-4cf6-bcca-e5a638884524', description: 'The message sid' })
  sid!: string;

  @ApiProperty({
    description: "What the provider's plug-in returned",
    example: { responseText: 'OK. Message Submitted Successfully' },
  })
  providerResponse!: unknown;
}

export class SendFailedResponseDto {
  @ApiProperty({ example: '6cc512e7-1dea-4cf6-bcca-e5a638884524', description: 'The message sid' })
  sid!: string;

  @ApiProperty({ example: 'the message was not sent: peerless: the provider answered HTTP 500' })
  msg!: string;

  @ApiPropertyOptional({
    description: 'What the provider answered, when it answered',
    example: { error: 'invalid destination' },
  })
  providerResponse?: unknown;
}
