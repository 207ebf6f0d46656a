import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiErrors } from '../common/api-errors.decorator';
import { ParseSidPipe } from '../common/parse-sid.pipe';
import { SidResponseDto } from '../common/sid-response.dto';
import { AccountsService } from './accounts.service';
import { AccountDto } from './dto/account.dto';
import { CreateAccountDto } from './dto/create-account.dto';
import { UpdateAccountDto } from './dto/update-account.dto';
import { WebhookSecretDto, WebhookSecretQueryDto } from './dto/webhook-secret.dto';

const SID_PARAM = { name: 'sid', format: 'uuid', description: 'The account sid' } as const;

@ApiTags('Accounts')
@ApiBearerAuth()
@Controller('v1/Accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create an account (admin key only)' })
  @ApiCreatedResponse({ type: SidResponseDto })
  @ApiErrors({ 400: true, 401: true, 403: 'An account key; creating accounts needs the admin key' })
  create(@Body() dto: CreateAccountDto): Promise<SidResponseDto> {
    return this.accounts.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every account for the admin key; its own account for an account key' })
  @ApiOkResponse({ type: [AccountDto] })
  @ApiErrors({ 401: true })
  list(@CurrentPrincipal() principal: Principal): Promise<AccountDto[]> {
    return this.accounts.list(principal);
  }

  @Get(':sid')
  @ApiOperation({ summary: 'One account, without its webhook secret' })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: AccountDto })
  @ApiErrors({ 400: true, 401: true, 403: true, 404: true })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
  ): Promise<AccountDto> {
    return this.accounts.get(principal, sid);
  }

  @Put(':sid')
  @ApiOperation({ summary: 'Rename an account; answers with the updated account' })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: AccountDto })
  @ApiErrors({ 400: true, 401: true, 403: true, 404: true })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
    @Body() dto: UpdateAccountDto,
  ): Promise<AccountDto> {
    return this.accounts.update(principal, sid, dto);
  }

  @Delete(':sid')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an account and its API keys (admin key only)',
    description:
      'Refused with 422 while the account still has applications or phone numbers: delete ' +
      'those first. Its message log is kept.',
  })
  @ApiParam(SID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({
    400: true,
    401: true,
    403: 'An account key; deleting accounts needs the admin key',
    404: true,
    422: 'The account still has applications or phone numbers',
  })
  async delete(@Param('sid', ParseSidPipe) sid: string): Promise<void> {
    await this.accounts.delete(sid);
  }

  @Get(':sid/WebhookSecret')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The secret that signs webhooks to this account; `regenerate=true` replaces it',
  })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: WebhookSecretDto })
  @ApiErrors({ 400: true, 401: true, 403: true, 404: true })
  webhookSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
    @Query() query: WebhookSecretQueryDto,
  ): Promise<WebhookSecretDto> {
    return this.accounts.webhookSecret(principal, sid, query.regenerate === 'true');
  }
}
