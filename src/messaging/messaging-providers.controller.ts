import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../common/error-response.dto';
import { MessagingProviderDto } from './dto/messaging-provider.dto';
import { MessagingProviderRegistry } from './messaging-provider.registry';

@ApiTags('MessagingProviders')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/MessagingProviders')
export class MessagingProvidersController {
  constructor(private readonly registry: MessagingProviderRegistry) {}

  @Get()
  @ApiOperation({ summary: 'The configured SMS providers, default first, with secrets redacted' })
  @ApiOkResponse({
    type: [MessagingProviderDto],
    description: 'Every provider of JAMBONES_MESSAGING in its order; the first is the default',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or an invalid bearer token' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'An account key; this needs the admin key',
  })
  list(): MessagingProviderDto[] {
    return this.registry.list().map((p) => ({
      name: p.name,
      module: p.module,
      default: p.isDefault,
      capabilities: p.capabilities,
      options: p.redactedOptions(),
    }));
  }
}
