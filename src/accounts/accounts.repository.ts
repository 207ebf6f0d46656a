import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import {
  AccountEntity,
  ApiKeyEntity,
  ApplicationEntity,
  PhoneNumberEntity,
} from '../database/entities';

/** What still belongs to an account that is not deleted with it. */
export interface AccountDependents {
  applications: number;
  phoneNumbers: number;
}

/**
 * How long an account found to exist is trusted without asking the database again (every send
 * checks its account). A deletion through this process is seen at once, through another gateway
 * process sharing the database within this time.
 */
export const ACCOUNT_CACHE_TTL_MS = 5000;
/** Bounds the cache; beyond it the cache starts over rather than grow. */
const ACCOUNT_CACHE_MAX = 10_000;

@Injectable()
export class AccountsRepository {
  /** Accounts seen to exist; a deletion clears it. */
  private readonly known = new ExpiringCache<true>(ACCOUNT_CACHE_TTL_MS, ACCOUNT_CACHE_MAX);

  constructor(
    @InjectRepository(AccountEntity) private readonly repo: Repository<AccountEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async insert(account: AccountEntity): Promise<void> {
    await this.repo.insert(account);
  }

  findBySid(sid: string): Promise<AccountEntity | null> {
    return this.repo.findOneBy({ sid });
  }

  async exists(sid: string): Promise<boolean> {
    return (await this.repo.countBy({ sid })) > 0;
  }

  /** `exists`, answered from memory for an account seen to exist in the last few seconds. */
  async existsCached(sid: string): Promise<boolean> {
    if (this.known.get(sid)) return true;
    const snapshot = this.known.snapshot();
    const found = await this.exists(sid);
    if (found) this.known.set(sid, true, snapshot);
    return found;
  }

  /** Every account, or only `sid` when given; oldest first. */
  list(sid?: string): Promise<AccountEntity[]> {
    return this.repo.find({
      where: sid ? { sid } : {},
      order: { created_at: 'ASC', sid: 'ASC' },
    });
  }

  async updateName(sid: string, name: string): Promise<void> {
    await this.repo.update({ sid }, { name });
  }

  async setWebhookSecret(sid: string, secret: string): Promise<void> {
    await this.repo.update({ sid }, { webhook_secret: secret });
  }

  /**
   * Deletes the account and its API keys, in one transaction, unless applications or phone
   * numbers still belong to it; then nothing changes and their counts come back.
   */
  async deleteUnlessInUse(sid: string): Promise<AccountDependents | undefined> {
    // Before, and again once committed: a lookup made meanwhile may have seen the account.
    this.known.clear();
    try {
      return await this.db.transaction(async (tx) => {
        const applications = await tx
          .getRepository(ApplicationEntity)
          .countBy({ account_sid: sid });
        const phoneNumbers = await tx
          .getRepository(PhoneNumberEntity)
          .countBy({ account_sid: sid });
        if (applications > 0 || phoneNumbers > 0) return { applications, phoneNumbers };
        await tx.getRepository(ApiKeyEntity).delete({ account_sid: sid });
        await tx.getRepository(AccountEntity).delete({ sid });
        return undefined;
      });
    } finally {
      this.known.clear();
    }
  }
}
