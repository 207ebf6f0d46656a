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
import { ApplicationsService } from './applications.service';
import { ApplicationDto } from './dto/application.dto';
import { CreateApplicationDto } from './dto/create-application.dto';
import { ListApplicationsQueryDto } from './dto/list-applications-query.dto';
import { UpdateApplicationDto } from './dto/update-application.dto';

const SID_PARAM = { name: 'sid', format: 'uuid', description: 'The application sid' } as const;

@ApiTags('Applications')
@ApiBearerAuth()
@Controller('v1/Applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an application with the messaging webhook its inbound messages go to',
  })
  @ApiCreatedResponse({ type: SidResponseDto })
  @ApiErrors({
    400: 'A malformed field, a hook URL that is not http(s), or a password without username',
    401: true,
    403: 'An account key naming another account',
    422: 'account_sid is not an existing account',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApplicationDto,
  ): Promise<SidResponseDto> {
    return this.applications.create(principal, dto);
  }

  @Get()
  @ApiOperation({
    summary: "Applications: all for the admin key, its own account's for an account key",
    description: 'Hook passwords are never returned; `has_password` says whether one is stored.',
  })
  @ApiOkResponse({ type: [ApplicationDto] })
  @ApiErrors({ 400: true, 401: true, 403: 'An account key filtering on another account' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListApplicationsQueryDto,
  ): Promise<ApplicationDto[]> {
    return this.applications.list(principal, query.account_sid);
  }

  @Get(':sid')
  @ApiOperation({ summary: 'One application, without its hook password' })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrors({ 400: true, 401: true, 403: true, 404: true })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
  ): Promise<ApplicationDto> {
    return this.applications.get(principal, sid);
  }

  @Put(':sid')
  @ApiOperation({
    summary: 'Change an application; absent fields keep their value',
    description:
      'messaging_hook changes field by field: an absent field is kept (an absent password keeps ' +
      'the stored one), null clears it, and `messaging_hook: null` removes the hook. Answers ' +
      'with the updated application.',
  })
  @ApiParam(SID_PARAM)
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrors({
    400: 'A malformed sid or field, a hook URL that is not http(s), or a password without username',
    401: true,
    403: true,
    404: true,
    422: 'account_sid is not the current account',
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
    @Body() dto: UpdateApplicationDto,
  ): Promise<ApplicationDto> {
    return this.applications.update(principal, sid, dto);
  }

  @Delete(':sid')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an application',
    description: 'Refused with 422 while phone numbers are assigned to it.',
  })
  @ApiParam(SID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({
    400: true,
    401: true,
    403: true,
    404: true,
    422: 'Phone numbers are still assigned to the application',
  })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('sid', ParseSidPipe) sid: string,
  ): Promise<void> {
    await this.applications.delete(principal, sid);
  }
}
