import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { assertAccountAccess, type Principal, scopedAccountSid } from '../auth/principal';
import { hashToken } from '../auth/token-hash';
import { newSid } from '../common/ids';
import { nowIso } from '../common/time';
import type { ApiKeyEntity } from '../database/entities';
import { ApiKeysRepository } from './api-keys.repository';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

const toDto = (k: ApiKeyEntity): ApiKeyDto => ({
  sid: k.sid,
  account_sid: k.account_sid,
  created_at: k.created_at,
});

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly accounts: AccountsService,
  ) {}

  async create(principal: Principal, accountSid: string): Promise<CreatedApiKeyDto> {
    await this.accounts.assertUsable(principal, accountSid);
    const token = randomBytes(32).toString('base64url');
    const sid = newSid();
    await this.keys.insert({
      sid,
      account_sid: accountSid,
      token_hash: hashToken(token),
      created_at: nowIso(),
      last_used_at: null,
    });
    return { sid, token };
  }

  async list(principal: Principal, accountSid?: string): Promise<ApiKeyDto[]> {
    if (accountSid) assertAccountAccess(principal, accountSid);
    return (await this.keys.listByAccount(accountSid ?? scopedAccountSid(principal))).map(toDto);
  }

  /** Revokes a key at once for this process (see API_KEY_CACHE_TTL_MS for others). */
  async delete(principal: Principal, sid: string): Promise<void> {
    const key = await this.keys.findBySid(sid);
    if (!key) throw new NotFoundException({ msg: `API key ${sid} not found` });
    assertAccountAccess(principal, key.account_sid);
    await this.keys.delete(sid);
  }
}
