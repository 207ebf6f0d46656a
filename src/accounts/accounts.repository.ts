import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
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

@Injectable()
export class AccountsRepository {
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
    return this.db.transaction(async (tx) => {
      const applications = await tx.getRepository(ApplicationEntity).countBy({ account_sid: sid });
      const phoneNumbers = await tx.getRepository(PhoneNumberEntity).countBy({ account_sid: sid });
      if (applications > 0 || phoneNumbers > 0) return { applications, phoneNumbers };
      await tx.getRepository(ApiKeyEntity).delete({ account_sid: sid });
      await tx.getRepository(AccountEntity).delete({ sid });
      return undefined;
    });
  }
}
