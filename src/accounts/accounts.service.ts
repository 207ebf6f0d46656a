import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { newSid } from '../common/ids';
import { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';
import { assertAccountAccess, type Principal, scopedAccountSid } from '../auth/principal';
import { nowIso } from '../common/time';
import type { AccountEntity } from '../database/entities';
import { AccountsRepository } from './accounts.repository';
import type { AccountDto } from './dto/account.dto';
import type { CreateAccountDto } from './dto/create-account.dto';
import type { UpdateAccountDto } from './dto/update-account.dto';
import type { WebhookSecretDto } from './dto/webhook-secret.dto';

const newWebhookSecret = (): string => `wh_${randomBytes(16).toString('hex')}`;

const toDto = (a: AccountEntity): AccountDto => ({
  sid: a.sid,
  name: a.name,
  created_at: a.created_at,
});

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  async create(dto: CreateAccountDto): Promise<{ sid: string }> {
    const sid = newSid();
    await this.accounts.insert({
      sid,
      name: dto.name,
      webhook_secret: dto.webhook_secret ?? newWebhookSecret(),
      created_at: nowIso(),
    });
    return { sid };
  }

  async list(principal: Principal): Promise<AccountDto[]> {
    return (await this.accounts.list(scopedAccountSid(principal))).map(toDto);
  }

  async get(principal: Principal, sid: string): Promise<AccountDto> {
    return toDto(await this.reachable(principal, sid));
  }

  async update(principal: Principal, sid: string, dto: UpdateAccountDto): Promise<AccountDto> {
    const account = await this.reachable(principal, sid);
    await this.accounts.updateName(sid, dto.name);
    return toDto({ ...account, name: dto.name });
  }

  /** Refuses while applications or numbers remain, so that no number silently stops routing. */
  async delete(sid: string): Promise<void> {
    if (!(await this.accounts.exists(sid))) throw notFound(sid);
    const inUse = await this.accounts.deleteUnlessInUse(sid);
    if (inUse) {
      throw new UnprocessableEntityException({
        msg:
          `account ${sid} still has ${inUse.applications} application(s) and ` +
          `${inUse.phoneNumbers} phone number(s); delete them first`,
      });
    }
    this.apiKeys.forgetCached();
    this.deliveries.forgetCredentials();
  }

  async webhookSecret(
    principal: Principal,
    sid: string,
    regenerate: boolean,
  ): Promise<WebhookSecretDto> {
    const account = await this.reachable(principal, sid);
    if (!regenerate) return { webhook_secret: account.webhook_secret };
    const secret = newWebhookSecret();
    try {
      await this.accounts.setWebhookSecret(sid, secret);
    } finally {
      this.deliveries.forgetCredentials();
    }
    return { webhook_secret: secret };
  }

  /**
   * For a resource that names its account in the body: an account key may only name its own
   * account (403, whether that other account exists or not); an unknown account is a 422.
   */
  async assertUsable(principal: Principal, accountSid: string): Promise<void> {
    assertAccountAccess(principal, accountSid);
    if (!(await this.accounts.exists(accountSid))) {
      throw new UnprocessableEntityException({
        msg: `account_sid ${accountSid} is not an existing account`,
      });
    }
  }

  /** 403 for another account's key, 404 for an unknown account; cached, for every send. */
  async assertReachable(principal: Principal, sid: string): Promise<void> {
    assertAccountAccess(principal, sid);
    if (!(await this.accounts.existsCached(sid))) throw notFound(sid);
  }

  private async reachable(principal: Principal, sid: string): Promise<AccountEntity> {
    const account = await this.accounts.findBySid(sid);
    if (!account) throw notFound(sid);
    assertAccountAccess(principal, account.sid);
    return account;
  }
}

const notFound = (sid: string): NotFoundException =>
  new NotFoundException({ msg: `account ${sid} not found` });
