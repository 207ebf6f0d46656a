import {
  BadRequestException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { assertAccountAccess, type Principal, scopedAccountSid } from '../auth/principal';
import { newSid } from '../common/ids';
import { nowIso } from '../common/time';
import type { ApplicationEntity } from '../database/entities';
import { PhoneNumbersService } from '../phone-numbers/phone-numbers.service';
import { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';
import { WebhookUrlPolicy } from '../webhooks/webhook-url.policy';
import { type ApplicationPatch, ApplicationsRepository } from './applications.repository';
import type { ApplicationDto } from './dto/application.dto';
import type { CreateApplicationDto } from './dto/create-application.dto';
import type { HookMethod, UpdateMessagingHookDto } from './dto/messaging-hook.dto';
import type { UpdateApplicationDto } from './dto/update-application.dto';

type HookColumns = Pick<
  ApplicationEntity,
  | 'messaging_hook_url'
  | 'messaging_hook_method'
  | 'messaging_hook_username'
  | 'messaging_hook_password'
>;

const NO_HOOK: HookColumns = {
  messaging_hook_url: null,
  messaging_hook_method: null,
  messaging_hook_username: null,
  messaging_hook_password: null,
};

/** Never copies the password: the API only tells whether there is one. */
function toDto(a: ApplicationEntity): ApplicationDto {
  return {
    sid: a.sid,
    account_sid: a.account_sid,
    name: a.name,
    messaging_hook: a.messaging_hook_url
      ? {
          url: a.messaging_hook_url,
          method: a.messaging_hook_method === 'GET' ? 'GET' : 'POST',
          username: a.messaging_hook_username,
          has_password: Boolean(a.messaging_hook_password),
        }
      : null,
    created_at: a.created_at,
  };
}

/** Basic auth is sent only with a username, so a lone password would silently be ignored. */
function assertCredentials(hook: HookColumns): void {
  if (hook.messaging_hook_password && !hook.messaging_hook_username) {
    throw new BadRequestException({ msg: 'messaging_hook.password needs messaging_hook.username' });
  }
}

/** The stored hook after a field-by-field change (see UpdateMessagingHookDto). */
function mergeHook(current: HookColumns, change: UpdateMessagingHookDto): HookColumns {
  const url = change.url ?? current.messaging_hook_url;
  if (!url) {
    throw new BadRequestException({
      msg: 'messaging_hook.url is required: the application has no messaging hook yet',
    });
  }
  const username =
    change.username === undefined ? current.messaging_hook_username : change.username;
  let password = change.password === undefined ? current.messaging_hook_password : change.password;
  if (!username && change.password === undefined) password = null;
  const merged: HookColumns = {
    messaging_hook_url: url,
    messaging_hook_method: change.method ?? current.messaging_hook_method ?? 'POST',
    messaging_hook_username: username,
    messaging_hook_password: password,
  };
  assertCredentials(merged);
  return merged;
}

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly accounts: AccountsService,
    private readonly numbers: PhoneNumbersService,
    private readonly urlPolicy: WebhookUrlPolicy,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  async create(principal: Principal, dto: CreateApplicationDto): Promise<{ sid: string }> {
    const hook: HookColumns = dto.messaging_hook
      ? {
          messaging_hook_url: dto.messaging_hook.url,
          messaging_hook_method: (dto.messaging_hook.method ?? 'POST') satisfies HookMethod,
          messaging_hook_username: dto.messaging_hook.username ?? null,
          messaging_hook_password: dto.messaging_hook.password ?? null,
        }
      : NO_HOOK;
    assertCredentials(hook);
    await this.accounts.assertUsable(principal, dto.account_sid);
    if (hook.messaging_hook_url) {
      await this.urlPolicy.assertAllowed(hook.messaging_hook_url, 'messaging_hook.url');
    }
    const sid = newSid();
    await this.applications.insert({
      sid,
      account_sid: dto.account_sid,
      name: dto.name,
      ...hook,
      created_at: nowIso(),
    });
    return { sid };
  }

  async list(principal: Principal, accountSid?: string): Promise<ApplicationDto[]> {
    if (accountSid) assertAccountAccess(principal, accountSid);
    return (await this.applications.list(accountSid ?? scopedAccountSid(principal))).map(toDto);
  }

  async get(principal: Principal, sid: string): Promise<ApplicationDto> {
    return toDto(await this.reachable(principal, sid));
  }

  async update(
    principal: Principal,
    sid: string,
    dto: UpdateApplicationDto,
  ): Promise<ApplicationDto> {
    const current = await this.reachable(principal, sid);
    if (dto.account_sid !== undefined && dto.account_sid !== current.account_sid) {
      throw new UnprocessableEntityException({
        msg: 'an application cannot move to another account',
      });
    }
    const patch: ApplicationPatch = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.messaging_hook === null) Object.assign(patch, NO_HOOK);
    else if (dto.messaging_hook) {
      Object.assign(patch, mergeHook(current, dto.messaging_hook));
      if (dto.messaging_hook.url) {
        await this.urlPolicy.assertAllowed(dto.messaging_hook.url, 'messaging_hook.url');
      }
    }
    if (Object.keys(patch).length > 0) {
      try {
        await this.applications.update(sid, patch);
      } finally {
        // Routes carry the application, hook included; deliveries read its hook credentials.
        this.numbers.forgetRoutes();
        this.deliveries.forgetCredentials();
      }
    }
    return toDto({ ...current, ...patch });
  }

  /** Refused while numbers are assigned to it, so that none silently stops routing. */
  async delete(principal: Principal, sid: string): Promise<void> {
    await this.reachable(principal, sid);
    let numbers: number;
    try {
      numbers = await this.applications.deleteUnlessRouted(sid);
    } finally {
      this.numbers.forgetRoutes();
      this.deliveries.forgetCredentials();
    }
    if (numbers > 0) {
      throw new UnprocessableEntityException({
        msg: `application ${sid} still has ${numbers} phone number(s); unassign or delete them first`,
      });
    }
  }

  private async reachable(principal: Principal, sid: string): Promise<ApplicationEntity> {
    const app = await this.applications.findBySid(sid);
    if (!app) throw new NotFoundException({ msg: `application ${sid} not found` });
    assertAccountAccess(principal, app.account_sid);
    return app;
  }
}
