import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
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
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiErrors } from '../common/api-errors.decorator';
import { ParseSidPipe } from '../common/parse-sid.pipe';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ListApiKeysQueryDto } from './dto/list-api-keys-query.dto';

@ApiTags('ApiKeys')
@ApiBearerAuth()
@Controller('v1/ApiKeys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create an API key for an account; the token is in this answer only',
    description: 'The admin key may create keys for any account, an account key for its own.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors({
    400: true,
    401: true,
    403: 'An account key naming another account',
    422: 'account_sid is not an existing account',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.keys.create(principal, dto.account_sid);
  }

  @Get()
  @ApiOperation({
    summary: 'API keys, without their tokens',
    description: 'Every key for the admin key; the keys of its own account for an account key.',
  })
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiErrors({ 400: true, 401: true, 403: 'An account key filtering on another account' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListApiKeysQueryDto,
  ): Promise<ApiKeyDto[]> {
    return this.keys.list(principal, query.account_sid);
  }

  @Delete(':sid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it is refused (401) from then on' })
  @ApiParam({ name: 'sid', format: 'uuid', description: 'The API key sid' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors({ 400: true, 401: true, 403: 'A key of another account', 404: true })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
  ): Promise<void> {
    await this.keys.delete(principal, sid);
  }
}
