import { ApiProperty } from '@nestjs/swagger';

export class ProviderCapabilitiesDto {
  @ApiProperty({ description: 'Can translate inbound messages (fromProviderFormat)' })
  receive!: boolean;
  @ApiProperty({ description: 'Can send messages (sendSms)' })
  send!: boolean;
  @ApiProperty({ description: 'Answers inbound posts with a custom body (formatProviderResponse)' })
  customInboundResponse!: boolean;
}

export class MessagingProviderDto {
  @ApiProperty({ example: 'peerless' })
  name!: string;
  @ApiProperty({ example: '@jambonz/messaging-peerless' })
  module!: string;
  @ApiProperty({ description: 'The first configured provider is the default' })
  default!: boolean;
  @ApiProperty({ type: ProviderCapabilitiesDto })
  capabilities!: ProviderCapabilitiesDto;
  @ApiProperty({
    description: 'The configured options with every secret replaced by "[REDACTED]"',
    example: {
      url: 'https://peerless.example.com/submitMessage',
      auth: { username: 'user', password: '[REDACTED]' },
    },
  })
  options!: unknown;
}
