import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
import { SidResponseDto } from '../common/sid-response.dto';
import { CreatePhoneNumberDto } from './dto/create-phone-number.dto';
import { ListPhoneNumbersQueryDto } from './dto/list-phone-numbers-query.dto';
import { PhoneNumberDto } from './dto/phone-number.dto';
import { UpdatePhoneNumberDto } from './dto/update-phone-number.dto';
import { PhoneNumbersService } from './phone-numbers.service';

const SID_PARAM = { name: 'sid', format: 'uuid', description: 'The phone number sid' } as const;

@ApiTags('PhoneNumbers')
@ApiBearerAuth()
@Controller('v1/PhoneNumbers')
export class PhoneNumbersController {
  constructor(private readonly numbers: PhoneNumbersService) {}

  @Post()
  @ApiOperation({
    summary: 'Provision a number to an account, optionally routed to one of its applications',
  })
  @ApiCreatedResponse({ type: SidResponseDto })
  @ApiErrors({
    400: 'A malformed field, or a number that is not a phone number',
    401: true,
    403: 'An account key naming another account',
    422: 'The number already exists (in any spelling), the account does not exist, or the application does not exist or belongs to another account',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreatePhoneNumberDto,
  ): Promise<SidResponseDto> {
    return this.numbers.create(principal, dto);
  }

  @Get()
  @ApiOperation({
    summary: "Phone numbers: all for the admin key, its own account's for an account key",
  })
  @ApiOkResponse({ type: [PhoneNumberDto] })
  @ApiErrors({ 400: true, 401: true, 403: 'An account key filtering on another account' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListPhoneNumbersQueryDto,
  ): Promise<PhoneNumberDto[]> {
    return this.numbers.list(principal, query);
  }

  @Get(':sid')
  @ApiOperation({ summary: 'One phone number' })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: PhoneNumberDto })
  @ApiErrors({ 400: true, 401: true, 403: true, 404: true })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
  ): Promise<PhoneNumberDto> {
    return this.numbers.get(principal, sid);
  }

  @Put(':sid')
  @ApiOperation({
    summary: 'Change a number or its application; absent fields keep their value',
    description: '`application_sid: null` unassigns the number. Answers with the updated number.',
  })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: PhoneNumberDto })
  @ApiErrors({
    400: 'A malformed sid or field, or a number that is not a phone number',
    401: true,
    403: true,
    404: true,
    422: 'The new number already exists, the application is unknown or of another account, or account_sid is not the current account',
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
    @Body() dto: UpdatePhoneNumberDto,
  ): Promise<PhoneNumberDto> {
    return this.numbers.update(principal, sid, dto);
  }

  @Delete(':sid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Release a number; messages to it are no longer routed' })
  @ApiParam(SID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 400: true, 401: true, 403: true, 404: true })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
  ): Promise<void> {
    await this.numbers.delete(principal, sid);
  }
}
