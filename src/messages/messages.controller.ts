import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { assertAccountAccess, type Principal } from '../auth/principal';
import { ApiErrors } from '../common/api-errors.decorator';
import { ParseSidPipe } from '../common/parse-sid.pipe';
import { requestContextOf } from '../logging/request-context';
import { ListMessagesQuery } from './dto/list-messages.query';
import { MessageDetailDto, MessageListDto } from './dto/message.dto';
import { SendFailedResponseDto, SendMessageResponseDto } from './dto/send-message-response.dto';
import { SendMessageDto } from './dto/send-message.dto';
import { parseIdempotencyKey } from './idempotency';
import { MessagesService } from './messages.service';

const ACCOUNT_EXAMPLE = '9351f46a-678c-43f5-b8a6-d4eb58d131af';

@ApiTags('Messages')
@ApiBearerAuth()
@ApiParam({ name: 'accountSid', example: ACCOUNT_EXAMPLE })
@ApiErrors({
  400: 'A malformed sid, a missing or malformed field, an unknown provider or an invalid number; the msg names it',
  401: true,
  403: "An account key on another account's path",
  404: 'Unknown account (or message of this account)',
})
@Controller('v1/Accounts/:accountSid/Messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Send an SMS/MMS',
    description:
      'Sends through the named provider (`provider` or `carrier`), else the default one, and records ' +
      'the message. Numbers may be digits with country code, E.164 or national (DEFAULT_COUNTRY). ' +
      'With an `Idempotency-Key` header, repeating the same body within 24 hours answers exactly as the ' +
      'first time (header `Idempotent-Replayed: true`) and sends nothing.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Up to 255 visible ASCII characters; scoped to the account, kept 24 hours',
  })
  @ApiBody({
    type: SendMessageDto,
    examples: {
      'REST example': {
        summary: 'The curl example of "Sending and receiving SMS"',
        value: {
          from: '13322060388',
          to: '+15083084809',
          provider: 'peerless',
          text: 'please call when you can',
        },
      },
      'MMS with a status hook': {
        value: {
          from: '13322060388',
          to: '+15083084809',
          media: 'https://example.com/picture.jpg',
          status_hook: { url: 'https://example.com/sms/status', method: 'POST' },
        },
      },
    },
  })
  @ApiCreatedResponse({
    type: SendMessageResponseDto,
    description: 'Sent: the message sid and the raw provider response',
  })
  @ApiBadGatewayResponse({
    type: SendFailedResponseDto,
    description:
      'The provider failed or timed out; the message is stored as failed with the reason',
  })
  @ApiErrors({
    403: "An account key on another account's path, or a `from` number provisioned to another account",
    409: 'The first request with this Idempotency-Key has not finished yet',
    422: 'The Idempotency-Key was already used with another body',
    503: 'No SMS provider is configured',
  })
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('accountSid', ParseSidPipe) accountSid: string,
    @Body() body: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendMessageResponseDto> {
    assertAccountAccess(principal, accountSid);
    const answer = await this.messages.send(
      principal,
      accountSid,
      body,
      parseIdempotencyKey(idempotencyKey),
      requestContextOf(res.req),
    );
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    if (answer.status === 502) throw new HttpException(answer.body, 502);
    return answer.body;
  }

  @Get()
  @ApiOperation({
    summary: 'The message log of the account, newest first',
    description:
      'Cursor pagination: follow `next_cursor` (or `next_page_uri`) until it is null. Filters combine; ' +
      '`after` is inclusive, `before` exclusive.',
  })
  @ApiOkResponse({ type: MessageListDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('accountSid', ParseSidPipe) accountSid: string,
    @Query() query: ListMessagesQuery,
  ): Promise<MessageListDto> {
    assertAccountAccess(principal, accountSid);
    return this.messages.list(principal, accountSid, query);
  }

  @Get(':messageSid')
  @ApiOperation({
    summary: 'One message with its status history, webhook delivery attempts and replies',
  })
  @ApiParam({ name: 'messageSid', example: '6cc512e7-1dea-4cf6-bcca-e5a638884524' })
  @ApiOkResponse({ type: MessageDetailDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('accountSid', ParseSidPipe) accountSid: string,
    @Param('messageSid', ParseSidPipe) messageSid: string,
  ): Promise<MessageDetailDto> {
    assertAccountAccess(principal, accountSid);
    return this.messages.get(principal, accountSid, messageSid);
  }
}
