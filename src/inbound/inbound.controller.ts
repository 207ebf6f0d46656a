import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../common/error-response.dto';
import { InboundService } from './inbound.service';

@ApiTags('Inbound')
@Public()
@Controller('v1/messaging')
export class InboundController {
  constructor(private readonly inbound: InboundService) {}

  @Post(':provider')
  @HttpCode(200)
  @ApiOperation({
    summary: "A provider's inbound SMS/MMS, in the provider's own format (JSON or form-encoded)",
    description:
      'The message is stored before the answer; the application owning the destination number is then ' +
      'called at its messaging webhook. The answer is the plug-in\'s formatProviderResponse(messageSid), or {}.',
  })
  @ApiBody({
    schema: { type: 'object', additionalProperties: true },
    examples: {
      peerless: {
        value: { from: '+15083084809', recipients: ['+17743008772'], ccRecipients: [], text: 'Hi there!', mediaURL: null },
      },
      '382com': { value: { source: '5083084809', destination: '3393646057', type: 'sms', message: 'Hello there' } },
    },
  })
  @ApiOkResponse({ schema: { example: { receipt: '6cc512e7-1dea-4cf6-bcca-e5a638884524', status: 'accepted' } } })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The plug-in cannot translate the body' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown provider, unowned number, or no messaging webhook' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto })
  receive(@Param('provider') provider: string, @Req() req: Request): Promise<unknown> {
    return this.inbound.receive(provider, req);
  }
}
